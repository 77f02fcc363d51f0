#!/usr/bin/python3
"""An independent AMQP client (pika) for the events suites: it sets up queues on the broker and
reads back what libcontentgen published, checking every message against the documented CloudEvents
envelope (docs/events.md) with its own code, not ours.

    amqp_peer.py declare --url URL --exchange X --queue Q [--binding K] [--max-length N]   durable
        topic exchange X (as the sink declares it), durable queue Q bound with K (default "#"); --max-length N adds
        x-max-length N + x-overflow reject-publish (the broker then nacks what does not fit; with
        --overflow drop-head it drops the oldest instead, for benchmarks)
    amqp_peer.py drain --url URL --queue Q [--expect N] [--timeout S] [--delete-exchange X]
        reads (and acks) every message of Q -- waiting up to S seconds for at least N -- and prints
        one JSON object: {"messages": [...], "errors": [...]}; then deletes Q (and X if given)
    amqp_peer.py delete --url URL [--queue Q] [--exchange X]

Run with /usr/bin/python3 (Debian's python3-pika). Exit status 0 unless the broker could not be used.
"""
import argparse
import json
import re
import sys
import time

import pika

CONTENT_TYPE = "application/cloudevents+json"
EVENT_TYPES = {"article.generated", "article.updated", "article.deleted", "image.uploaded", "image.deleted"}
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
DECIMAL = re.compile(r"^\d+(\.\d+)?$")

# Required data fields per event type (docs/events.md).
IDS = {"article_id": str, "workspace_id": str}
DATA_FIELDS = {
    "article.generated": dict(IDS, plan_id=str, title=str, word_count=int, cost_usd=str, model=str),
    "article.updated": dict(IDS, version=int, title=str, status=str, word_count=int),
    "article.deleted": dict(IDS),
    "image.uploaded": dict(IDS, image_id=str, url=str, content_type=str, size_bytes=int, width=int, height=int,
                           sha256=str),
    "image.deleted": dict(IDS, image_id=str),
}


def connect(url):
    return pika.BlockingConnection(pika.URLParameters(url))


def declare(args):
    conn = connect(args.url)
    ch = conn.channel()
    ch.exchange_declare(exchange=args.exchange, exchange_type="topic", durable=True)
    arguments = {}
    if args.max_length is not None:
        arguments = {"x-max-length": args.max_length, "x-overflow": args.overflow}
    ch.queue_declare(queue=args.queue, durable=True, arguments=arguments)
    ch.queue_bind(queue=args.queue, exchange=args.exchange, routing_key=args.binding)
    conn.close()


def check(message, errors):
    """Appends to `errors` everything about one message that breaks the documented contract."""
    where = "message %s" % message.get("message_id")
    if message["content_type"] != CONTENT_TYPE:
        errors.append("%s: content_type %r" % (where, message["content_type"]))
    if message["delivery_mode"] != 2:
        errors.append("%s: delivery_mode %r (not persistent)" % (where, message["delivery_mode"]))
    body = message.get("body")
    if not isinstance(body, dict):
        errors.append("%s: body is not a JSON object" % where)
        return
    for attr in ("specversion", "id", "source", "type", "time", "subject", "datacontenttype", "data"):
        if attr not in body:
            errors.append("%s: missing CloudEvents attribute %r" % (where, attr))
    if errors and any(e.startswith(where + ": missing") for e in errors):
        return
    if body["specversion"] != "1.0":
        errors.append("%s: specversion %r" % (where, body["specversion"]))
    if not UUID.match(body["id"]) or body["id"] != message["message_id"]:
        errors.append("%s: id %r is not a UUID equal to message_id" % (where, body["id"]))
    if not body["source"]:
        errors.append("%s: empty source" % where)
    if body["type"] not in EVENT_TYPES or body["type"] != message["routing_key"]:
        errors.append("%s: type %r vs routing key %r" % (where, body["type"], message["routing_key"]))
    if message["type"] != body["type"]:
        errors.append("%s: AMQP type property %r differs from the event type" % (where, message["type"]))
    if not RFC3339.match(body["time"]):
        errors.append("%s: time %r is not RFC 3339" % (where, body["time"]))
    if body["datacontenttype"] != "application/json":
        errors.append("%s: datacontenttype %r" % (where, body["datacontenttype"]))
    if not isinstance(body["data"], dict):
        errors.append("%s: data is not an object" % where)
        return
    for field, kind in DATA_FIELDS.get(body["type"], {}).items():
        value = body["data"].get(field)
        if not isinstance(value, kind) or isinstance(value, bool):
            errors.append("%s: data.%s missing or not %s" % (where, field, kind.__name__))
    data = body["data"]
    if data.get("article_id") != body["subject"]:
        errors.append("%s: subject %r is not data.article_id" % (where, body["subject"]))
    if data.get("workspace_id") != body.get("workspaceid"):
        errors.append("%s: workspaceid %r is not data.workspace_id" % (where, body.get("workspaceid")))
    if body["type"] == "article.generated" and isinstance(data.get("cost_usd"), str) \
            and not DECIMAL.match(data["cost_usd"]):
        errors.append("%s: data.cost_usd %r is not a decimal string" % (where, data["cost_usd"]))
    if body["type"] == "article.updated" and data.get("status") not in ("draft", "published", "archived"):
        errors.append("%s: data.status %r" % (where, data.get("status")))


def drain(args):
    conn = connect(args.url)
    ch = conn.channel()
    messages, errors = [], []
    deadline = time.monotonic() + args.timeout
    while True:
        method, props, raw = ch.basic_get(queue=args.queue, auto_ack=False)
        if method is None:
            if len(messages) >= args.expect or time.monotonic() > deadline:
                break
            time.sleep(0.05)
            continue
        try:
            body = json.loads(raw.decode("utf-8"))
        except ValueError:
            body = None
        messages.append({
            "routing_key": method.routing_key,
            "exchange": method.exchange,
            "message_id": props.message_id,
            "content_type": props.content_type,
            "delivery_mode": props.delivery_mode,
            "timestamp": props.timestamp,
            "type": props.type,
            "redelivered": method.redelivered,
            "body": body,
        })
        check(messages[-1], errors)
        ch.basic_ack(method.delivery_tag)
    ch.queue_delete(queue=args.queue)
    if args.delete_exchange:
        ch.exchange_delete(exchange=args.delete_exchange)
    conn.close()
    json.dump({"messages": messages, "errors": errors}, sys.stdout)
    sys.stdout.write("\n")


def delete(args):
    conn = connect(args.url)
    ch = conn.channel()
    if args.queue:
        ch.queue_delete(queue=args.queue)
    if args.exchange:
        ch.exchange_delete(exchange=args.exchange)
    conn.close()


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("declare")
    p.add_argument("--url", required=True)
    p.add_argument("--exchange", required=True)
    p.add_argument("--queue", required=True)
    p.add_argument("--max-length", type=int)
    p.add_argument("--binding", default="#")
    p.add_argument("--overflow", default="reject-publish", choices=["reject-publish", "drop-head"])
    p.set_defaults(run=declare)
    p = sub.add_parser("drain")
    p.add_argument("--url", required=True)
    p.add_argument("--queue", required=True)
    p.add_argument("--expect", type=int, default=0)
    p.add_argument("--timeout", type=float, default=10.0)
    p.add_argument("--delete-exchange")
    p.set_defaults(run=drain)
    p = sub.add_parser("delete")
    p.add_argument("--url", required=True)
    p.add_argument("--queue")
    p.add_argument("--exchange")
    p.set_defaults(run=delete)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
