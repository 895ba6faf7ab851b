#!/usr/bin/python3
"""text_bench.py -- scikit-learn reference of Mlx's `text` benchmark suite: CountVectorizer configured as Keras'
TextVectorization defaults (lower-case, strip Keras' punctuation, whitespace split; unigrams), fit_transform on the
reviews of tests/golden/text/reviews.json repeated to --rows rows. Prints JSON {"fit_transform_seconds": median of --reps}.
Usage: /usr/bin/python3 text_bench.py --reviews tests/golden/text/reviews.json [--rows 25000] [--reps 5]
"""
import argparse
import json
import re
import statistics
import time

from sklearn.feature_extraction.text import CountVectorizer

PUNCTUATION = re.compile(r"[!\"#$%&()\*\+,\-\./:;<=>?@\[\\\]^_`{|}~']")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reviews", required=True)
    parser.add_argument("--rows", type=int, default=25000)
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    with open(args.reviews, encoding="utf-8") as f:
        reviews = json.load(f)
    texts = (reviews * (args.rows // len(reviews) + 1))[: args.rows]
    times = []
    for _ in range(args.reps):
        start = time.perf_counter()
        vectorizer = CountVectorizer(preprocessor=lambda s: PUNCTUATION.sub("", s.lower()), tokenizer=str.split, token_pattern=None, lowercase=False)
        vectorizer.fit_transform(texts)
        times.append(time.perf_counter() - start)
    print(json.dumps({"fit_transform_seconds": statistics.median(times)}))


if __name__ == "__main__":
    main()
