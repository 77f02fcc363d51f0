// The REST server's request path without sockets: raw bytes into Beast's request parser set up as
// apps/contentgen/server/http_server.cpp sets it up (its head limit, its read-buffer limit, body
// limit from RestApi::check_head), then RestApi::check_head and RestApi::handle over in-memory ports (a
// ScriptedLlmProvider, MemoryArticleRepository with one article, MemoryImageStore) with a
// synchronous run_blocking. Several requests may follow each other on the "connection", as with
// keep-alive. Every request answers exactly once with a valid status.
//
// Beast throws on a field value over 64 KiB (issue 12, point 1: a chunked trailer); the server
// keeps that from happening by holding at most kReadBufferLimit unparsed bytes (buffer_overflow,
// 431). The harness feeds the parser through the same window and catches nothing: a throw is a
// crash of the server, so it is a finding here.
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <future>
#include <limits>
#include <memory>
#include <optional>

#include "contentgen/testing/memory_article_repository.hpp"
#include "contentgen/testing/memory_image_store.hpp"
#include "contentgen/testing/scripted_llm_provider.hpp"
#include "fuzz/fuzz_support.hpp"
#include "server/http_server.hpp"
#include "server/rest_api.hpp"
#include "server/text.hpp"

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using namespace contentgen;

constexpr int kMaxRequestsPerInput = 8;

// One fresh world per input, so that an input means the same thing on every run.
struct World {
  World() {
    llm->set_responder([](const ChatRequest&) -> Result<ChatResponse> {
      ChatResponse r;
      r.text = "# Tea\n\nA short article about tea with enough words to count.";
      r.provider = "scripted";
      r.model = "gpt-4o-mini";
      r.usage.prompt_tokens = 100;
      r.usage.completion_tokens = 50;
      return r;
    });
    NewArticle seeded;
    seeded.article.id = "01a00000-0000-7000-8000-000000000001";
    seeded.article.workspace_id = "alpha";
    seeded.article.title = "Tea";
    seeded.article.slug = "tea";
    seeded.article.content = "# Tea\n\nGreen.";
    seeded.article.content_html = "<h1>Tea</h1>\n<p>Green.</p>\n";
    seeded.article.provider = "scripted";
    seeded.article.model = "gpt-4o-mini";
    seeded.article.llm_calls = 1;
    seeded.article.word_count = 2;
    seeded.article.created_at = seeded.article.updated_at = Timestamp(std::chrono::seconds(1'767'225'600));
    repository->create(seeded);

    auto generator = std::make_shared<ContentGenerator>(Ports{llm, repository, images, nullptr},
                                                        std::make_shared<const PriceTable>(PriceTable::builtin()));
    server::RestApi::Dependencies d;
    d.generator = generator;
    d.run_blocking = [](std::function<void()> task) { task(); };
    d.metrics = std::make_shared<server::Metrics>();
    d.config.api_keys = {{"alpha-key-0123456789", "alpha"}, {"beta-key-0123456789x", "beta"}};
    d.config.access_log = false;
    d.config.max_body_bytes = 64 * 1024;
    d.config.multipart_overhead_bytes = 4 * 1024;
    d.config.max_generations_in_flight = 4;
    d.max_image_bytes = 32 * 1024;
    api = std::make_unique<server::RestApi>(std::move(d));
  }

  std::shared_ptr<fakes::ScriptedLlmProvider> llm = std::make_shared<fakes::ScriptedLlmProvider>();
  std::shared_ptr<fakes::MemoryArticleRepository> repository = std::make_shared<fakes::MemoryArticleRepository>();
  std::shared_ptr<fakes::MemoryImageStore> images = std::make_shared<fakes::MemoryImageStore>();
  std::unique_ptr<server::RestApi> api;
};

void check_response(const server::HttpResponse& response) { FUZZ_CHECK(response.status >= 100 && response.status <= 599); }

// One parser.put over the unparsed bytes the server's read buffer would hold (at most
// kReadBufferLimit of what is left). No progress with a full buffer is buffer_overflow (431, as
// the server answers); with less, the connection's bytes ran out: need_more (the server would wait
// for the client, then time out).
std::size_t feed(http::request_parser<http::string_body>& parser, std::string_view rest, beast::error_code& ec) {
  const std::string_view window = rest.substr(0, server::kReadBufferLimit);
  const std::size_t n = parser.put(boost::asio::buffer(window.data(), window.size()), ec);
  if (!ec && n == 0) ec = window.size() == server::kReadBufferLimit ? http::error::buffer_overflow : http::error::need_more;
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  World world;
  std::string_view input = fuzz::text_of(data, size);
  for (int i = 0; i < kMaxRequestsPerInput && !input.empty(); ++i) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(server::kHeaderLimit);
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    parser.eager(false);

    // The head.
    beast::error_code ec;
    std::size_t used = 0;
    while (!parser.is_header_done() && !ec) used += feed(parser, input.substr(used), ec);
    if (ec) return 0;  // incomplete (the server waits, then closes) or malformed (400/431, closed)
    input.remove_prefix(used);

    const auto& head = parser.get();
    server::HttpRequest request;
    request.method = std::string(head.method_string());
    request.target = std::string(head.target());
    for (const auto& field : head) request.headers.emplace_back(server::ascii_lower(field.name_string()), std::string(field.value()));
    if (parser.content_length()) request.content_length = *parser.content_length();
    const bool keep_alive = head.keep_alive();

    std::size_t body_limit = 0;
    if (auto early = world.api->check_head(request, body_limit)) {
      check_response(*early);
      if (early->close_connection) return 0;
      // The server answers without reading the body; what follows is read as the next request.
      if (!keep_alive) return 0;
      continue;
    }
    parser.body_limit(body_limit);
    parser.eager(true);

    // The body.
    used = 0;
    while (!parser.is_done() && !ec) used += feed(parser, input.substr(used), ec);
    if (ec == http::error::body_limit) {
      check_response(world.api->body_too_large(request));
      return 0;
    }
    if (ec) return 0;  // need_more: the client went away mid-body; otherwise a framing error
    input.remove_prefix(used);

    request.body = std::move(parser.get().body());
    std::promise<server::HttpResponse> answered;
    auto answer = answered.get_future();
    auto calls = std::make_shared<std::atomic<int>>(0);
    world.api->handle(std::move(request), [&answered, calls](server::HttpResponse response) {
      FUZZ_CHECK(calls->fetch_add(1) == 0);
      answered.set_value(std::move(response));
    });
    FUZZ_CHECK(answer.wait_for(std::chrono::seconds(5)) == std::future_status::ready);
    const auto response = answer.get();
    check_response(response);
    if (!keep_alive || response.close_connection) return 0;
  }
  return 0;
}
