"""scikit-learn reference for Mlx's VectorizeText (Keras TextVectorization semantics) on 1,000 real reviews
(reviews_test.csv = shared/data/fine_food_reviews/test.csv, 1,000 Amazon fine-food reviews).

CountVectorizer is configured to coincide with Keras' defaults: preprocessor = lower-case then remove the ASCII
punctuation Keras strips (!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~'), tokenizer = split on whitespace, ngram_range (1, 1) and
(1, 2) (bigrams joined by a space, as Keras' ngrams), no stop words, no minimum length, all tokens kept.
Writes reviews.json (the parsed texts) and text_golden.json: per n-gram setting, each term's total count and document frequency, and the non-zero counts
of the first 40 documents. (Keras' TF-IDF is count * log(1 + N / (1 + df)); scikit-learn's TfidfTransformer differs —
smooth idf ln((1 + N) / (1 + df)) + 1 and L2 normalisation — so TF-IDF is checked against df from here, not against it.)
Run: /usr/bin/python3 tests/golden/text/make_text_golden.py
"""
import csv
import json
import os
import re

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer

HERE = os.path.dirname(os.path.abspath(__file__))
PUNCTUATION = re.compile(r"[!\"#$%&()\*\+,\-\./:;<=>?@\[\\\]^_`{|}~']")


def preprocess(text):
    return PUNCTUATION.sub("", text.lower())


def main():
    with open(os.path.join(HERE, "reviews_test.csv"), newline="", encoding="utf-8") as f:
        reviews = [row["review"] for row in csv.DictReader(f)]
    # The texts exactly as parsed here (quotes unescaped), for the C# tests to read without a CSV parser.
    with open(os.path.join(HERE, "reviews.json"), "w", encoding="utf-8") as f:
        json.dump(reviews, f, ensure_ascii=False)
    result = {"tool": "make_text_golden.py", "documents": len(reviews), "settings": {}}
    for n in (1, 2):
        vectorizer = CountVectorizer(preprocessor=preprocess, tokenizer=str.split, token_pattern=None, lowercase=False, ngram_range=(1, n))
        counts = vectorizer.fit_transform(reviews)
        terms = vectorizer.get_feature_names_out()
        totals = np.asarray(counts.sum(axis=0)).ravel()
        df = np.asarray((counts > 0).sum(axis=0)).ravel()
        first = []
        for d in range(40):
            row = counts.getrow(d)
            first.append({terms[j]: int(v) for j, v in zip(row.indices, row.data)})
        result["settings"][str(n)] = {"terms": {t: [int(c), int(k)] for t, c, k in zip(terms, totals, df)}, "first_documents": first}
        print(n, len(terms), "terms")
    with open(os.path.join(HERE, "text_golden.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False)


if __name__ == "__main__":
    main()
