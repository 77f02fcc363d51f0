#!/usr/bin/env python3
"""examples/python/generate.py -- the Python bindings end to end: open a generator from a
configuration file, generate an article (streaming its text), list the workspace, upload an image,
relay the events, delete the article.

    pip install --no-build-isolation bindings/python     (or PYTHONPATH=bindings/python/src)
    CONTENTGEN_LIBRARY=/path/to/libcontentgen.so.0.1 python3 examples/python/generate.py contentgen.json
"""

import sys

import contentgen

# A 1x1 PNG, so that the example needs no image file.
PIXEL_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000b49444154789c6360000200000500017a5eab3f0000000049454e44ae426082")

PLAN = {
    "workspace_id": "example-workspace",
    "title": "How to keep an LLM bill predictable",
    "target_keywords": ["llm cost", "token budget"],
    "estimated_word_count": 600,
    "tone": "practical",
}


def main(config_path: str) -> int:
    print("libcontentgen", contentgen.library_version())
    try:
        with contentgen.Generator(config_path) as generator:
            article = generator.generate(PLAN, on_delta=lambda text: print(text, end="", flush=True))
            print("\n\n--")
            print("article", article.id)
            print("title: ", article.title)
            print("words: ", article.word_count)
            print("model:  %s (%s)" % (article.model, article.provider))
            print("tokens: %d prompt + %d completion" % (article.usage.prompt_tokens, article.usage.completion_tokens))
            print("cost:   $%s (%d nano-USD)" % (article.cost_usd, article.cost_nanousd))

            page = generator.list("example-workspace")
            print("workspace holds %d article(s) on the first page:" % len(page.items))
            for item in page.items:
                print("  %s  %s" % (item.id, item.title))

            image = generator.upload_image("example-workspace", article.id, PIXEL_PNG, filename="pixel.png")
            print("uploaded %s (%s, %dx%d) -> %s" % (image.id, image.content_type, image.width, image.height, image.url))

            try:
                stats = generator.relay_events()
                print("events relayed: %d delivered, %d failed" % (stats.delivered, stats.failed))
            except contentgen.InvalidArgumentError:
                pass  # no event sink configured

            generator.delete("example-workspace", article.id)
            print("deleted", article.id)
    except contentgen.ContentgenError as error:
        detail = " (HTTP %s, request id %s)" % (error.status, error.request_id) if error.status else ""
        print("failed: [%s] %s%s" % (error.name, error, detail), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: %s CONFIG.json" % sys.argv[0], file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
