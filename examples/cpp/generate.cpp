// examples/cpp/generate.cpp -- the C++ API end to end with the shared configuration module: load a
// configuration file, open the ports and the generator it describes, generate an article, list,
// upload an image, relay the events, delete.
//
//   find_package(contentgen CONFIG REQUIRED) + target_link_libraries(app contentgen::contentgen)
//   ./generate_cpp contentgen.json
#include <array>
#include <cstddef>
#include <iostream>

#include "contentgen/config.hpp"
#include "contentgen/error.hpp"
#include "contentgen/json.hpp"

namespace {

// A 1x1 PNG, so that the example needs no image file.
constexpr std::array<unsigned char, 68> kPixelPng = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00,
    0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00,
    0x00, 0x00, 0x0b, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x60, 0x00, 0x02, 0x00, 0x00, 0x05, 0x00,
    0x01, 0x7a, 0x5e, 0xab, 0x3f, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " CONFIG.json\n";
    return 2;
  }
  try {
    const contentgen::Config config = contentgen::load_config_file(argv[1]);
    contentgen::ConfiguredGenerator opened = contentgen::open_generator(config);
    contentgen::ContentGenerator& generator = *opened.generator;

    contentgen::ContentPlan plan;
    plan.workspace_id = "example-workspace";
    plan.title = "How to keep an LLM bill predictable";
    plan.target_keywords = {"llm cost", "token budget"};
    plan.estimated_word_count = 600;
    contentgen::GenerateOptions options;
    options.on_delta = [](std::string_view text) { std::cout << text << std::flush; };
    const contentgen::Article article = generator.generate(plan, options);
    std::cout << "\n\n--\narticle " << article.id << "\ntitle:  " << article.title << "\nwords:  " << article.word_count
              << "\nmodel:  " << article.model << " (" << article.provider << ")\ncost:   $" << article.cost.to_string()
              << " (" << article.cost.nanos() << " nano-USD)\n";

    const contentgen::ArticlePage page = generator.list("example-workspace");
    std::cout << "workspace holds " << page.items.size() << " article(s) on the first page\n";

    contentgen::ImageUpload upload;
    upload.bytes = contentgen::ByteView(reinterpret_cast<const std::byte*>(kPixelPng.data()), kPixelPng.size());
    upload.filename = "pixel.png";
    const contentgen::ArticleImage image = generator.upload_image("example-workspace", article.id, upload);
    std::cout << "uploaded " << contentgen::image_to_json(image) << "\n";

    if (opened.relay) {
      const contentgen::RelayStats stats = opened.relay->relay_all();
      std::cout << "events relayed: " << stats.delivered << " delivered, " << stats.failed << " failed\n";
    }

    generator.remove("example-workspace", article.id);
    std::cout << "deleted " << article.id << "\n";
  } catch (const contentgen::Error& e) {
    std::cerr << "failed: [" << contentgen::to_string(e.code()) << "] " << e.what() << "\n";
    return 1;
  }
  return 0;
}
