#!/usr/bin/env python3
"""The intent classifier's trainer, speaking the training gateway's trainer protocol
(docs/trainer-protocol.md):

    train.py validate --dataset DIR --options FILE
    train.py train    --dataset DIR --output DIR --options FILE

Progress, metrics and the final report are JSON lines on standard output; a rejected dataset exits
with status 2 after an {"error": ...} line; a model is the files left in --output.

Test hooks (environment, set through the gateway's trainer.environment): INTENT_TRAIN_DELAY adds
seconds of pretend work between progress steps; INTENT_TRAIN_CRASH makes training die.
"""

import argparse
import json
import os
import sys
import time

from sklearn.model_selection import cross_val_score

import intent_model


def emit(**fields):
    # One JSON object per line, flushed at once: the gateway shows each line as it arrives.
    print(json.dumps(fields), flush=True)


def validate(args, options):
    texts, labels = intent_model.read_dataset(args.dataset)
    counts = {label: labels.count(label) for label in sorted(set(labels))}
    emit(metrics={"labels": len(counts), "texts": len(texts)})
    emit(report=f"Dataset is valid: {len(counts)} intents, {len(texts)} texts ({', '.join(counts)}).")


def train(args, options):
    delay = float(os.environ.get("INTENT_TRAIN_DELAY", "0"))
    texts, labels = intent_model.read_dataset(args.dataset)
    emit(progress=0.1, message=f"read {len(texts)} texts")
    time.sleep(delay)
    if os.environ.get("INTENT_TRAIN_CRASH"):
        os.abort()  # a crash, as a segfault in native code would look
    folds = min(3, min(labels.count(label) for label in set(labels)))
    scores = cross_val_score(intent_model.make_pipeline_model(), texts, labels, cv=folds)
    accuracy = round(float(scores.mean()), 3)
    emit(progress=0.5, message=f"{folds}-fold cross-validation done", metrics={"accuracy": accuracy})
    time.sleep(delay)
    model = intent_model.make_pipeline_model().fit(texts, labels)
    emit(progress=0.9, message="fitted on every text")
    time.sleep(delay)
    info = {"labels": sorted(set(labels)), "texts": len(texts), "cv_accuracy": accuracy, "method": options["method"]}
    intent_model.save(model, args.output, info)
    emit(progress=1.0, report=f"Trained on {len(texts)} texts, {len(info['labels'])} intents; cross-validated accuracy {accuracy}.")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("phase", choices=["validate", "train"])
    parser.add_argument("--dataset", required=True)
    parser.add_argument("--output")
    parser.add_argument("--options", required=True)
    args = parser.parse_args()
    with open(args.options) as f:
        options = json.load(f)
    try:
        (validate if args.phase == "validate" else train)(args, options)
    except intent_model.DatasetError as problem:
        emit(error=f"The dataset was rejected: {problem}.")
        sys.exit(2)


if __name__ == "__main__":
    main()
