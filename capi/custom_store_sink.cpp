// contentgen_image_store and contentgen_event_sink (C vtables) as ImageStore and EventSink.
#include "custom_ports.hpp"
#include "handles.hpp"
#include "support.hpp"

namespace contentgen::capi {
namespace {

class CustomImageStore final : public ImageStore {
 public:
  explicit CustomImageStore(const contentgen_image_store& vtable) : vtable_(vtable) {}
  ~CustomImageStore() override {
    if (vtable_.free != nullptr) vtable_.free(vtable_.payload);
  }

  void validate() const {
    check_version(vtable_.version, CONTENTGEN_IMAGE_STORE_VERSION, "image_store");
    const std::pair<const void*, const char*> functions[] = {
        {reinterpret_cast<const void*>(vtable_.put), "image_store.put"},
        {reinterpret_cast<const void*>(vtable_.get), "image_store.get"},
        {reinterpret_cast<const void*>(vtable_.remove), "image_store.remove"},
        {reinterpret_cast<const void*>(vtable_.url_for), "image_store.url_for"},
        {reinterpret_cast<const void*>(vtable_.free), "image_store.free"}};
    for (const auto& [function, field] : functions)
      if (function == nullptr) throw Error::invalid_argument(field, "must not be NULL");
  }

  StoredObject put(std::string_view key, ByteView bytes, std::string_view content_type) override {
    const std::string k(key), type(content_type);
    const std::uint64_t epoch = error_epoch();
    check(vtable_.put(vtable_.payload, k.c_str(), k.size(), bytes.data(), bytes.size(), type.c_str()), epoch, "put");
    StoredObject stored;
    stored.key = k;
    stored.url = url_for(k);
    stored.size_bytes = static_cast<std::int64_t>(bytes.size());
    return stored;
  }

  Bytes get(std::string_view key) override {
    const std::string k(key);
    contentgen_buffer buffer;
    const std::uint64_t epoch = error_epoch();
    check(vtable_.get(vtable_.payload, k.c_str(), k.size(), &buffer), epoch, "get");
    const auto* begin = reinterpret_cast<const std::byte*>(buffer.bytes.data());
    return Bytes(begin, begin + buffer.bytes.size());
  }

  void remove(std::string_view key) override {
    const std::string k(key);
    const std::uint64_t epoch = error_epoch();
    check(vtable_.remove(vtable_.payload, k.c_str(), k.size()), epoch, "remove");
  }

  std::string url_for(std::string_view key) const override {
    const std::string k(key);
    contentgen_buffer buffer;
    const std::uint64_t epoch = error_epoch();
    check(vtable_.url_for(vtable_.payload, k.c_str(), k.size(), &buffer), epoch, "url_for");
    return std::move(buffer.bytes);
  }

 private:
  static void check(int code, std::uint64_t epoch, const char* operation) {
    if (code != CONTENTGEN_OK) throw callback_error(code, epoch, std::string("custom image store ") + operation);
  }

  contentgen_image_store vtable_;
};

}  // namespace

class CustomEventSink final : public EventSink {
 public:
  explicit CustomEventSink(const contentgen_event_sink& vtable) : vtable_(vtable) {}
  ~CustomEventSink() override {
    if (vtable_.free != nullptr) vtable_.free(vtable_.payload);
  }

  void validate() const {
    check_version(vtable_.version, CONTENTGEN_EVENT_SINK_VERSION, "event_sink");
    if (vtable_.publish == nullptr) throw Error::invalid_argument("event_sink.publish", "must not be NULL");
    if (vtable_.free == nullptr) throw Error::invalid_argument("event_sink.free", "must not be NULL");
  }

  void set_source(std::string source) { source_ = std::move(source); }

  void publish(const Event& event) override {
    const std::string json = to_cloudevent_json(event, source_);
    const std::uint64_t epoch = error_epoch();
    const int code = vtable_.publish(vtable_.payload, json.c_str(), json.size());
    if (code != CONTENTGEN_OK) throw callback_error(code, epoch, "custom event sink");
  }

 private:
  contentgen_event_sink vtable_;
  std::string source_;
};

std::shared_ptr<ImageStore> adopt_image_store(const contentgen_image_store& vtable) {
  return adopt<CustomImageStore>(vtable);
}

std::shared_ptr<CustomEventSink> adopt_event_sink(const contentgen_event_sink& vtable) {
  return adopt<CustomEventSink>(vtable);
}

void set_event_source(CustomEventSink& sink, std::string source) { sink.set_source(std::move(source)); }

std::shared_ptr<EventSink> as_event_sink(std::shared_ptr<CustomEventSink> sink) { return sink; }

}  // namespace contentgen::capi
