"""Speech data for the speech-to-text model (tools/models/train_speech.py).

Sentences come from the corpus the text models use (Vim's documentation, Debian's
vim-runtime): paragraphs are joined, split at . ! ?, and a sentence is kept when it
is plain words only (letters and apostrophes, 4..14 words, no all-capital word) and
every word occurs in at least MIN_WORD_COUNT kept sentences, so the held-out
sentences are new sentences over a known vocabulary. Text is lower-cased; the
alphabet is ' ' a..z and the apostrophe.

Audio: espeak-ng speaks each sentence with a voice (base accent + variant), a speed
(words per minute) and a pitch; sox (repeatable mode, -R) resamples to 16 kHz mono
16-bit, pads silence, applies reverb and mixes in white, pink or brown noise at a
chosen level. Every choice comes from a seeded generator, so the same seed gives
the same files (Debian 12's espeak-ng 1.51 and sox 14.4.2).

Splits: the sentences are shuffled with a fixed seed; TEST_SENTENCES are held out.
  train        : the rest, each rendered once (or more, --renders) with a training voice
  test_seen    : held-out sentences with training voices
  test_unseen  : the same held-out sentences with VARIANT_UNSEEN (never in training)
The rendering parameters come from one generator in this order: the first
FIRST_TRAIN training sentences, the held-out sets, then the other training
sentences; so the held-out files do not depend on how many sentences train.
"""
import collections
import glob
import os
import random
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor

CORPUS_GLOB = "/usr/share/vim/vim90/doc/*.txt"
MIN_WORD_COUNT = 3
TEST_SENTENCES = 200
FIRST_TRAIN = 3000   # training renders drawn before the held-out ones (see plan)
ALPHABET = " abcdefghijklmnopqrstuvwxyz'"   # index i+1 in the model; 0 is the CTC blank
SAMPLE_RATE = 16000

BASE_VOICES = ["en-us", "en-gb", "en-gb-x-rp", "en-gb-scotland"]
VARIANTS_SEEN = ["", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "f1", "f2", "f3", "f4",
                 "klatt", "klatt2", "klatt3"]
VARIANT_UNSEEN = "f5"
NOISES = ["whitenoise", "pinknoise", "brownnoise"]


def load_sentences():
    parts = []
    for f in sorted(glob.glob(CORPUS_GLOB)):
        with open(f, "rb") as fh:
            parts.append(fh.read().decode("utf-8", errors="replace"))
    text = "\n".join(parts)
    found = set()
    for para in re.split(r"\n\s*\n", text):
        para = " ".join(line.strip() for line in para.split("\n"))
        for s in re.split(r"(?<=[.!?])\s+", para):
            s = s.strip()
            if not re.fullmatch(r"[A-Za-z][A-Za-z ,']*[.!?]", s):
                continue
            words = re.findall(r"[A-Za-z']+", s)
            if not 4 <= len(words) <= 14 or any(w.isupper() and len(w) > 1 for w in words):
                continue
            found.add(" ".join(w.lower() for w in words))
    sents = sorted(found)
    count = collections.Counter(w for s in sents for w in s.split())
    return [s for s in sents if all(count[w] >= MIN_WORD_COUNT for w in s.split())]


def learn_pieces(sentences, n_merges):
    """Word pieces for the model's output, learned from sentences (training text
    only): byte-pair merges inside words (never across a space), most frequent
    adjacent pair first (ties: the smallest pair). Returns the merged strings in
    merge order; the vocabulary is [""] + ALPHABET + these."""
    freq = collections.Counter(w for s in sentences for w in s.split())
    words = {w: list(w) for w in freq}
    pieces = []
    for _ in range(n_merges):
        pairs = collections.Counter()
        for w, parts in words.items():
            for a, b in zip(parts, parts[1:]):
                pairs[(a, b)] += freq[w]
        if not pairs:
            break
        best = min(pairs, key=lambda ab: (-pairs[ab], ab))
        pieces.append(best[0] + best[1])
        for w, parts in words.items():
            out, i = [], 0
            while i < len(parts):
                if i + 1 < len(parts) and (parts[i], parts[i + 1]) == best:
                    out.append(best[0] + best[1])
                    i += 2
                else:
                    out.append(parts[i])
                    i += 1
            words[w] = out
    return pieces


def split_pieces(text, pieces):
    """text as a list of vocabulary strings: ' ' between words; each word its
    characters merged as learn_pieces merged them (in merge order)."""
    rank = {p: i for i, p in enumerate(pieces)}
    out = []
    for k, w in enumerate(text.split(" ")):
        if k:
            out.append(" ")
        parts = list(w)
        while len(parts) > 1:
            i = min(range(len(parts) - 1), key=lambda j: (rank.get(parts[j] + parts[j + 1], len(rank)), j))
            if parts[i] + parts[i + 1] not in rank:
                break
            parts[i:i + 2] = [parts[i] + parts[i + 1]]
        out.extend(parts)
    return out


def split_sentences(sents, seed):
    order = list(sents)
    random.Random(seed).shuffle(order)
    return order[TEST_SENTENCES:], order[:TEST_SENTENCES]


def pick_render(rng, variant=None):
    """One rendering's parameters (a dict), drawn from rng."""
    v = rng.choice(VARIANTS_SEEN) if variant is None else variant
    base = rng.choice(BASE_VOICES)
    return {
        "voice": base + ("+" + v if v else ""),
        "speed": rng.randint(130, 210),
        "pitch": rng.randint(25, 75),
        "pad_ms": rng.randint(50, 300),
        "reverb": rng.choice([0, 0, 20, 40, 60]),
        "noise": rng.choice(NOISES),
        "noise_vol": round(rng.uniform(0.002, 0.03), 4),
    }


def render(text, p, path):
    """Speak text with parameters p into a 16 kHz mono 16-bit WAV at path."""
    tmp = path + ".tmp.wav"
    subprocess.run(["espeak-ng", "-v", p["voice"], "-s", str(p["speed"]), "-p", str(p["pitch"]),
                    "-w", tmp, text], check=True)
    pad = "%.3f" % (p["pad_ms"] / 1000)
    effects = ["rate", str(SAMPLE_RATE), "pad", pad, pad]
    if p["reverb"]:
        effects += ["reverb", str(p["reverb"])]
    speech = path + ".speech.wav"
    subprocess.run(["sox", "-R", "-V1", tmp, "-c", "1", "-b", "16", speech] + effects, check=True)
    n = int(subprocess.run(["soxi", "-s", speech], check=True, capture_output=True).stdout)
    noise = "|sox -R -V1 -n -r %d -c 1 -p synth %ds %s vol %s" % (
        SAMPLE_RATE, n, p["noise"], p["noise_vol"])
    subprocess.run(["sox", "-R", "-V1", "-m", speech, noise, "-b", "16", path], check=True)
    os.remove(tmp)
    os.remove(speech)


def render_set(items, out_dir, workers, log):
    """items: list of (name, text, params). Writes out_dir/name.wav (skipping files
    that exist) and out_dir/index.tsv (name, text, params)."""
    os.makedirs(out_dir, exist_ok=True)
    todo = [it for it in items if not os.path.exists(os.path.join(out_dir, it[0] + ".wav"))]
    done = [0]

    def one(it):
        render(it[1], it[2], os.path.join(out_dir, it[0] + ".wav"))
        done[0] += 1
        if done[0] % 500 == 0:
            log("%s: %d/%d rendered" % (out_dir, done[0], len(todo)))
    with ThreadPoolExecutor(workers) as ex:
        list(ex.map(one, todo))
    with open(os.path.join(out_dir, "index.tsv"), "w") as f:
        for name, text, p in items:
            f.write("%s\t%s\t%s\n" % (name, text, " ".join("%s=%s" % kv for kv in sorted(p.items()))))


def read_index(out_dir):
    rows = []
    with open(os.path.join(out_dir, "index.tsv")) as f:
        for line in f:
            name, text, params = line.rstrip("\n").split("\t")
            rows.append((name, text, params))
    return rows


def plan(seed, renders, max_train):
    """The items (name, text, params) of every split, in the generator's order."""
    sents = load_sentences()
    train, test = split_sentences(sents, seed)
    train = train[:max_train]
    rng = random.Random(seed + 1)

    def train_items(first, last):
        return [("t%06d" % (i * renders + r), train[i], pick_render(rng))
                for i in range(first, min(last, len(train))) for r in range(renders)]
    head = train_items(0, FIRST_TRAIN)
    sets = {
        "test_seen": [("s%04d" % i, s, pick_render(rng)) for i, s in enumerate(test)],
        "test_unseen": [("u%04d" % i, s, pick_render(rng, VARIANT_UNSEEN)) for i, s in enumerate(test)],
    }
    sets["train"] = head + train_items(FIRST_TRAIN, len(train))
    return sets


def make_sets(root, seed, renders, max_train, workers, log, splits=None):
    """Render the splits (default: all) under root (at most max_train training
    sentences); returns {split: dir}."""
    sets = plan(seed, renders, max_train)
    log("sentences: %d train, %d held out" % (len(sets["train"]), len(sets["test_seen"])))
    dirs = {}
    for split, items in sets.items():
        if splits and split not in splits:
            continue
        dirs[split] = os.path.join(root, split)
        render_set(items, dirs[split], workers, log)
    return dirs
