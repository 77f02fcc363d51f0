#pragma once
// Ports implemented by the host through the C vtables of include/contentgen.h. Each adapter takes
// over the vtable's payload on construction and calls its `free` exactly once, in the destructor
// (so a port whose open fails is still released). Validation happens after adoption.
#include <memory>
#include <string>

#include "contentgen.h"
#include "contentgen/ports/event_sink.hpp"
#include "contentgen/ports/image_store.hpp"
#include "contentgen/ports/llm_provider.hpp"

namespace contentgen::capi {

std::shared_ptr<LlmProvider> adopt_llm_provider(const contentgen_llm_provider& vtable);
std::shared_ptr<ImageStore> adopt_image_store(const contentgen_image_store& vtable);

class CustomEventSink;
std::shared_ptr<CustomEventSink> adopt_event_sink(const contentgen_event_sink& vtable);
// The CloudEvents "source" the sink stamps on events (known once the config is parsed).
void set_event_source(CustomEventSink& sink, std::string source);
std::shared_ptr<EventSink> as_event_sink(std::shared_ptr<CustomEventSink> sink);

// The JSON form of a ChatRequest handed to custom providers.
std::string chat_request_to_json(const ChatRequest& request);

// Takes over a vtable as a `Port` (whose destructor calls its free), then validates it: a vtable
// that cannot even be wrapped is freed here, an invalid one by the wrapper's destructor.
template <class Port, class Vtable>
std::shared_ptr<Port> adopt(const Vtable& vtable) {
  std::shared_ptr<Port> port;
  try {
    port = std::make_shared<Port>(vtable);
  } catch (...) {
    if (vtable.free != nullptr) vtable.free(vtable.payload);
    throw;
  }
  port->validate();
  return port;
}

}  // namespace contentgen::capi
