#!/usr/bin/env python3
"""S3 throughput, for scripts/bench-cluster: 20 objects of 5 MB (random bytes, as a photo does
not compress) put one after another, then read back, through boto3. Prints one line: MB/s up,
MB/s down. The endpoint, bucket and keys from the arguments.

    bench-s3.py ENDPOINT REGION BUCKET KEY_ID SECRET
"""
import os
import sys
import time

import boto3
from botocore.config import Config

endpoint, region, bucket, key_id, secret = sys.argv[1:6]
s3 = boto3.client("s3", endpoint_url=endpoint, region_name=region, aws_access_key_id=key_id,
                  aws_secret_access_key=secret, config=Config(s3={"addressing_style": "path"}))
blob = os.urandom(5 << 20)
n = 20
run = f"bench-{time.time():.0f}"
t0 = time.time()
for i in range(n):
    s3.put_object(Bucket=bucket, Key=f"{run}/{i}", Body=blob)
t1 = time.time()
for i in range(n):
    assert len(s3.get_object(Bucket=bucket, Key=f"{run}/{i}")["Body"].read()) == len(blob)
t2 = time.time()
for i in range(n):
    s3.delete_object(Bucket=bucket, Key=f"{run}/{i}")
mb = n * len(blob) / 1e6
print(f"{mb / (t1 - t0):.0f} {mb / (t2 - t1):.0f}")
