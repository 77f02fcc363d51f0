#!/usr/bin/python3
"""Independent S3 peer for tests/stores: boto3 and http.client, never our own code.

  s3_peer.py list ENDPOINT ACCESS_KEY SECRET REGION BUCKET PREFIX   hex of every key under PREFIX, one a line
  s3_peer.py put ENDPOINT ACCESS_KEY SECRET REGION BUCKET KEY_HEX FILE   uploads FILE under the key
  s3_peer.py fetch URL OUT_FILE      plain GET (http.client, no signing); prints the status, body to OUT_FILE
  s3_peer.py sign METHOD URL EPOCH REGION ACCESS_KEY SECRET TOKEN CONTENT_TYPE BODY_FILE
        botocore's S3SigV4Auth at the fixed time EPOCH: prints the Authorization header
  s3_peer.py presign URL EPOCH EXPIRES REGION ACCESS_KEY SECRET TOKEN
        botocore's S3SigV4QueryAuth at the fixed time EPOCH: prints the presigned URL
  (TOKEN "-" means none; URL is the object's URL, its path already percent-encoded as on the wire)
  s3_peer.py batch FILE    runs each line of FILE (a JSON array of arguments of sign or presign),
        printing one result line per input line

Keys travel in hex so that no shell or terminal encoding can alter them.
"""
import http.client
import ssl
import sys
import urllib.parse


def client(endpoint, access_key, secret, region):
    import boto3
    from botocore.config import Config
    return boto3.client("s3", endpoint_url=endpoint, region_name=region, aws_access_key_id=access_key,
                        aws_secret_access_key=secret, config=Config(s3={"addressing_style": "path"}))


def at_fixed_time(epoch, sign):
    """Runs sign() with botocore's clock pinned to `epoch` (UTC seconds)."""
    import datetime
    from unittest import mock
    fixed = datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc)
    with mock.patch("botocore.auth.datetime") as clock:
        clock.datetime.utcnow.return_value = fixed.replace(tzinfo=None)
        clock.datetime.now.return_value = fixed
        clock.timezone = datetime.timezone
        sign()


def credentials(access_key, secret, token):
    from botocore.credentials import Credentials
    return Credentials(access_key, secret, None if token == "-" else token)


def main(argv):
    command = argv[1]
    if command == "batch":
        import contextlib, io, json
        with open(argv[2], encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                out = io.StringIO()
                with contextlib.redirect_stdout(out):
                    main(["s3_peer.py"] + json.loads(line))
                print(out.getvalue().strip())
        return
    if command == "list":
        endpoint, access_key, secret, region, bucket, prefix = argv[2:8]
        s3 = client(endpoint, access_key, secret, region)
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                print(item["Key"].encode("utf-8").hex())
    elif command == "put":
        endpoint, access_key, secret, region, bucket, key_hex, path = argv[2:9]
        with open(path, "rb") as f:
            client(endpoint, access_key, secret, region).put_object(
                Bucket=bucket, Key=bytes.fromhex(key_hex).decode("utf-8"), Body=f.read())
    elif command == "fetch":
        url, out = argv[2], argv[3]
        parts = urllib.parse.urlsplit(url)
        connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        connection = connection_class(parts.hostname, parts.port, timeout=30)
        target = parts.path + ("?" + parts.query if parts.query else "")
        connection.request("GET", target)
        response = connection.getresponse()
        with open(out, "wb") as f:
            f.write(response.read())
        print(response.status)
    elif command == "sign":
        from botocore.auth import S3SigV4Auth
        from botocore.awsrequest import AWSRequest
        method, url, epoch, region, access_key, secret, token, content_type, body_file = argv[2:11]
        with open(body_file, "rb") as f:
            body = f.read()
        headers = {"Content-Type": content_type} if content_type != "-" else {}
        request = AWSRequest(method=method, url=url, data=body, headers=headers)
        at_fixed_time(epoch, lambda: S3SigV4Auth(credentials(access_key, secret, token), "s3", region).add_auth(request))
        print(request.headers["Authorization"])
    elif command == "presign":
        from botocore.auth import S3SigV4QueryAuth
        from botocore.awsrequest import AWSRequest
        url, epoch, expires, region, access_key, secret, token = argv[2:9]
        request = AWSRequest(method="GET", url=url)
        auth = S3SigV4QueryAuth(credentials(access_key, secret, token), "s3", region, expires=int(expires))
        at_fixed_time(epoch, lambda: auth.add_auth(request))
        print(request.url)
    else:
        sys.exit(f"unknown command {command}")


if __name__ == "__main__":
    main(sys.argv)
