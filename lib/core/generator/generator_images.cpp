// ContentGenerator: article images. The object store and the repository stay consistent: the
// object is put before its row is inserted (and deleted again if the insert fails); on delete the
// object goes first, then the row.
#include "contentgen/error.hpp"
#include "contentgen/generator.hpp"
#include "core/generator/generator_core.hpp"
#include "core/media/image_sniff.hpp"
#include "core/text/sha256.hpp"
#include "core/domain/validation.hpp"

namespace contentgen {

ArticleImage ContentGenerator::upload_image(std::string_view workspace_id, std::string_view article_id,
                                            const ImageUpload& upload) {
  internal::check_workspace_id(workspace_id);
  internal::check_article_id(article_id);
  auto& store = impl_->image_store();
  // The size limit comes first: nothing past it is read.
  if (upload.bytes.size() > impl_->options.max_image_bytes)
    throw Error::invalid_argument("image", "is " + std::to_string(upload.bytes.size()) + " bytes; the limit is " +
                                               std::to_string(impl_->options.max_image_bytes));
  const auto info = internal::sniff_image(upload.bytes);
  const auto pixels = static_cast<std::uint64_t>(info.width) * static_cast<std::uint64_t>(info.height);
  if (pixels > impl_->options.max_image_pixels)
    throw Error::invalid_argument("image.pixels", "the image declares " + std::to_string(info.width) + "x" +
                                                      std::to_string(info.height) + " pixels; the limit is " +
                                                      std::to_string(impl_->options.max_image_pixels) +
                                                      " pixels (limits.max_image_pixels)");
  internal::check_declared_type(info, upload.declared_content_type, upload.filename);
  internal::check_text(upload.filename, "filename", {0, 255, false});
  internal::check_text(upload.alt_text, "alt_text", {0, 1000, false});
  if (!impl_->ports.repository->get(workspace_id, article_id))
    throw Error::not_found("article " + std::string(article_id));

  ArticleImage image;
  image.id = impl_->new_id();
  image.article_id = article_id;
  image.workspace_id = workspace_id;
  image.storage_key = internal::image_key(workspace_id, article_id, image.id, info.extension);
  image.content_type = info.content_type;
  image.size_bytes = static_cast<std::int64_t>(upload.bytes.size());
  image.width = info.width;
  image.height = info.height;
  image.sha256 = internal::sha256_hex(upload.bytes);
  image.original_filename = upload.filename;
  image.alt_text = upload.alt_text;
  image.created_at = impl_->now();
  image.url = store.put(image.storage_key, upload.bytes, image.content_type).url;

  Article owner;
  owner.id = image.article_id;
  owner.workspace_id = image.workspace_id;
  const Event event = internal::make_event(*impl_, EventType::image_uploaded, owner, internal::image_event_data(image, true));
  try {
    impl_->ports.repository->add_image(image, std::span(&event, 1));
  } catch (...) {
    try {
      store.remove(image.storage_key);
    } catch (...) {
      // The row's error is the one to report; an orphan object is the lesser harm.
    }
    throw;
  }
  return image;
}

void ContentGenerator::delete_image(std::string_view workspace_id, std::string_view article_id,
                                    std::string_view image_id) {
  const Article article = get(workspace_id, article_id);
  const auto image = std::find_if(article.images.begin(), article.images.end(),
                                  [&](const ArticleImage& i) { return i.id == image_id; });
  if (image == article.images.end()) throw Error::not_found("image " + std::string(image_id));
  impl_->image_store().remove(image->storage_key);
  const Event event = internal::make_event(*impl_, EventType::image_deleted, article, internal::image_event_data(*image, false));
  if (!impl_->ports.repository->remove_image(workspace_id, article_id, image_id, std::span(&event, 1)))
    throw Error::not_found("image " + std::string(image_id));
}

}  // namespace contentgen
