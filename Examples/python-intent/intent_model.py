"""The intent classifier shared by the service (inference) and the trainer: TF-IDF features over
words and character n-grams, then logistic regression (scikit-learn)."""

import json
import pickle
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, make_pipeline

MODEL_FILE = "model.pkl"
INFO_FILE = "model.json"


class DatasetError(Exception):
    """The dataset cannot be used; the message says what to fix."""


def read_dataset(directory, min_per_label=3):
    """Texts and labels from <label>/<name>.txt files; raises DatasetError naming every problem."""
    root = Path(directory)
    texts, labels, problems = [], [], []
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    loose = sorted(p.name for p in root.iterdir() if p.is_file() and not p.name.startswith("."))
    if loose:
        problems.append(f"files outside a label folder: {', '.join(loose[:3])}")
    for folder in folders:
        count = 0
        for file in sorted(folder.rglob("*.txt")):
            try:
                text = file.read_text(encoding="utf-8").strip()
            except UnicodeDecodeError:
                problems.append(f"{folder.name}/{file.name} is not UTF-8 text")
                continue
            if text:
                texts.append(text)
                labels.append(folder.name)
                count += 1
        if count < min_per_label:
            problems.append(f"label '{folder.name}' has {count} non-empty texts, needs at least {min_per_label}")
    if len(folders) < 2:
        problems.append(f"found {len(folders)} label folder(s), need at least 2")
    if problems:
        raise DatasetError("; ".join(problems))
    return texts, labels


def make_pipeline_model():
    features = FeatureUnion(
        [
            ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)),
        ]
    )
    return make_pipeline(features, LogisticRegression(max_iter=1000, C=10.0))


def save(model, directory, info):
    directory = Path(directory)
    with open(directory / MODEL_FILE, "wb") as f:
        pickle.dump(model, f)
    (directory / INFO_FILE).write_text(json.dumps(info, indent=2))


def load(directory):
    # Only model directories written by train.py are ever loaded: the gateway passes the path of a
    # model it trained with this provider's trainer, never a path a caller chose.
    with open(Path(directory) / MODEL_FILE, "rb") as f:
        return pickle.load(f)


def rank(model, text):
    """(label, probability) pairs, best first."""
    probabilities = model.predict_proba([text])[0]
    pairs = sorted(zip(model.classes_, probabilities), key=lambda pair: -pair[1])
    return [(str(label), float(p)) for label, p in pairs]
