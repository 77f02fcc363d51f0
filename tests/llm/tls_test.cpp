// TLS verification over loopback: certificates made at test time with the openssl CLI (a test CA,
// a server certificate for localhost/127.0.0.1 and one for another name), served by
// contentgen-mockllm --tls-cert/--tls-key.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "contentgen/adapters/openai.hpp"
#include "llm_test_support.hpp"
#include "mock_server.hpp"
#include "net/http_client.hpp"

namespace contentgen {
namespace {

using testsupport::call;
using testsupport::simple_request;
namespace fs = std::filesystem;

void run(const std::string& command) {
  const std::string quiet = command + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(quiet.c_str()), 0) << command;
}

class Tls : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() / ("contentgen-tls-" + std::to_string(::getpid())));
    fs::create_directories(*dir_);
    const std::string d = dir_->string();
    const std::string ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    run("openssl req -x509 " + ec + " -keyout " + d + "/ca.key -out " + d + "/ca.pem -days 2 -subj '/CN=contentgen test CA'" +
        " -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign");
    auto issue = [&](const std::string& name, const std::string& san) {
      run("openssl req " + ec + " -keyout " + d + "/" + name + ".key -out " + d + "/" + name + ".csr -subj '/CN=" + name + "'");
      std::ofstream(d + "/" + name + ".ext") << "subjectAltName=" << san << "\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n";
      run("openssl x509 -req -in " + d + "/" + name + ".csr -CA " + d + "/ca.pem -CAkey " + d + "/ca.key -CAcreateserial -out " +
          d + "/" + name + ".pem -days 2 -extfile " + d + "/" + name + ".ext");
    };
    issue("server", "DNS:localhost,IP:127.0.0.1");
    issue("wrongname", "DNS:wrong.example");
    good_ = new testsupport::MockLlm({"--tls-cert", d + "/server.pem", "--tls-key", d + "/server.key"});
    wrong_ = new testsupport::MockLlm({"--tls-cert", d + "/wrongname.pem", "--tls-key", d + "/wrongname.key"});
  }
  static void TearDownTestSuite() {
    delete good_;
    delete wrong_;
    if (!std::getenv("KEEP_TLS_DIR")) fs::remove_all(*dir_);
    delete dir_;
  }

  static std::string ca() { return (*dir_ / "ca.pem").string(); }
  static std::string https(const testsupport::MockLlm& mock, const std::string& host = "127.0.0.1") {
    return "https://" + host + ":" + std::to_string(mock.port());
  }
  static OpenAiOptions options(const std::string& base) {
    OpenAiOptions o;
    o.base_url = base + "/v1";
    o.api_key = "k";
    o.retry.max_retries = 0;
    return o;
  }

  static fs::path* dir_;
  static testsupport::MockLlm* good_;
  static testsupport::MockLlm* wrong_;
};
fs::path* Tls::dir_ = nullptr;
testsupport::MockLlm* Tls::good_ = nullptr;
testsupport::MockLlm* Tls::wrong_ = nullptr;

TEST_F(Tls, MockPrintsAnHttpsUrl) { EXPECT_EQ(good_->url().rfind("https://127.0.0.1:", 0), 0u) << good_->url(); }

TEST_F(Tls, UnknownCaIsRejectedByDefault) {
  auto result = call(*make_openai_provider(options(https(*good_))), simple_request());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::unavailable);
  EXPECT_EQ(result.error().details().provider_code, "tls_verify_failed") << result.error().what();
}

TEST_F(Tls, AcceptedWithItsCaFileByIpAndByName) {
  for (const std::string host : {"127.0.0.1", "localhost"}) {
    auto o = options(https(*good_, host));
    o.http.ca_file = ca();
    auto response = call(*make_openai_provider(o), simple_request()).value();
    EXPECT_FALSE(response.text.empty()) << host;
  }
}

TEST_F(Tls, StreamingOverTls) {
  auto o = options(https(*good_));
  o.http.ca_file = ca();
  auto r = simple_request();
  std::string streamed;
  r.on_delta = [&](std::string_view d) { streamed += d; };
  auto response = call(*make_openai_provider(o), r).value();
  EXPECT_EQ(streamed, response.text);
  EXPECT_FALSE(response.usage.estimated);
}

TEST_F(Tls, HostnameMismatchIsRejectedEvenWithTheRightCa) {
  auto o = options(https(*wrong_));
  o.http.ca_file = ca();
  auto result = call(*make_openai_provider(o), simple_request());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().details().provider_code, "tls_verify_failed") << result.error().what();
  // The same through the raw client, by name.
  net::ClientOptions client_options;
  client_options.tls.ca_file = ca();
  net::HttpClient client(client_options);
  net::HttpRequest request;
  request.url = https(*wrong_, "localhost") + "/_mock/health";
  try {
    client.send(request);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.details().provider_code, "tls_verify_failed") << e.what();
  }
}

TEST_F(Tls, InsecureSkipVerifyAcceptsAnything) {
  auto o = options(https(*wrong_));
  o.http.insecure_skip_verify = true;  // logs a warning on stderr
  EXPECT_TRUE(call(*make_openai_provider(o), simple_request()).ok());
}

TEST_F(Tls, UnreadableCaFileIsInvalidArgument) {
  auto o = options(https(*good_));
  o.http.ca_file = (*dir_ / "missing.pem").string();
  try {
    make_openai_provider(o);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    EXPECT_EQ(e.details().field, "tls.ca_file");
  }
}

TEST_F(Tls, PlainHttpToATlsPortFailsCleanly) {
  auto o = options("http://127.0.0.1:" + std::to_string(good_->port()));
  o.http.first_byte_timeout = std::chrono::milliseconds(2000);
  auto result = call(*make_openai_provider(o), simple_request());
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(is_retryable(result.error().code())) << result.error().what();
}

}  // namespace
}  // namespace contentgen
