"""Model loading: verified weights, the newline sentence rule, rules mode, lazy imports."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newsdesk.index.extract import nlp

REPO = Path(__file__).resolve().parents[1]


def _model_dir() -> Path:
    try:
        return nlp.find_model()[1]
    except nlp.NlpUnavailable:
        pytest.skip("no spaCy model installed")


@pytest.fixture(scope="module")
def pipeline():  # type: ignore[no-untyped-def]
    _model_dir()
    if nlp._env() == "rules":
        pytest.skip("NEWSDESK_NLP=rules")
    return nlp.load()


def test_installed_model_verifies() -> None:
    nlp.verify(_model_dir())  # does not raise


def test_tampered_copy_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(nlp.ENV_VAR, raising=False)
    src = _model_dir()
    copy = tmp_path / "model"
    shutil.copytree(src, copy)
    weights = copy / "ner" / "model"
    data = bytearray(weights.read_bytes())
    data[len(data) // 2] ^= 0x01
    weights.write_bytes(bytes(data))
    with pytest.raises(nlp.ModelMismatch) as err:
        nlp.load(path=copy)
    message = str(err.value)
    assert "ner/model" in message
    assert "parser/model" not in message  # only the changed file is named
    assert "refusing" in message
    # a ModelMismatch is an NlpUnavailable, so callers can catch either
    assert isinstance(err.value, nlp.NlpUnavailable)


def test_missing_weight_file_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "model"
    shutil.copytree(_model_dir(), copy)
    (copy / "tagger" / "model").unlink()
    with pytest.raises(nlp.ModelMismatch, match="tagger/model"):
        nlp.verify(copy)


def test_newline_ends_a_sentence(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = "Crane collapse at the Grand Mosque\nA storm yesterday caused a crane to fall. It killed many."
    doc = pipeline(text)
    assert doc.text == text  # the text is never changed: offsets stay valid
    starts = [s.start_char for s in doc.sents]
    assert text.index("A storm") in starts
    first = next(iter(doc.sents))
    assert first.text.strip() == "Crane collapse at the Grand Mosque"
    assert nlp.NEWLINE_COMPONENT in pipeline.pipe_names
    assert pipeline.pipe_names.index(nlp.NEWLINE_COMPONENT) < pipeline.pipe_names.index("parser")


def test_parse_many_keeps_order(pipeline) -> None:  # type: ignore[no-untyped-def]
    texts = ["Anne Neuberger met officials.", "", "North Korea denied it.\n\nHeading"]
    docs = list(nlp.parse_many(texts, batch_size=2))
    assert [d.text for d in docs] == texts


def test_load_is_cached(pipeline) -> None:  # type: ignore[no-untyped-def]
    assert nlp.load() is pipeline


def test_unknown_profile() -> None:
    with pytest.raises(ValueError, match="profile"):
        nlp.load("everything")


def test_mode_spacy_when_model_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    _model_dir()
    monkeypatch.delenv(nlp.ENV_VAR, raising=False)
    assert nlp.mode() == "spacy"
    assert "weights verified" in nlp.describe()


def test_rules_mode_by_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(nlp.ENV_VAR, "rules")
    assert nlp.mode() == "rules"
    description = nlp.describe()
    assert "rules only" in description and "NEWSDESK_NLP=rules" in description
    with pytest.raises(nlp.NlpUnavailable):
        nlp.load()


def test_no_model_means_rules_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(nlp.ENV_VAR, raising=False)
    monkeypatch.setattr(nlp, "MODEL_PACKAGES", ("no_such_model_package_xyz",))
    nlp._verified_model.cache_clear()
    try:
        assert nlp.mode() == "rules"
        assert "no spaCy model installed" in nlp.describe()
        monkeypatch.setenv(nlp.ENV_VAR, "spacy")
        with pytest.raises(nlp.NlpUnavailable, match="no spaCy model found"):
            nlp.mode()
    finally:
        nlp._verified_model.cache_clear()


def test_importing_entities_does_not_import_spacy() -> None:
    code = (
        "import sys, newsdesk.index.extract.entities, newsdesk.index.extract.nlp, newsdesk.index.extract.gazetteer; "
        "assert 'spacy' not in sys.modules, 'spacy imported'; "
        "assert 'pycountry' not in sys.modules, 'pycountry imported'"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True)


# --- the cheaper pipeline: numpy matmul and index.pos_lemma ---------------------------------------

FIXTURE_TEXTS = sorted((REPO / "tests" / "fixtures" / "gold").glob("*.txt")) + sorted(
    (REPO / "seeds").glob("*")
)


def test_fast_pipeline_swaps_components(pipeline) -> None:  # type: ignore[no-untyped-def]
    assert nlp.POS_LEMMA_COMPONENT in pipeline.pipe_names
    assert "attribute_ruler" not in pipeline.pipe_names
    assert "lemmatizer" not in pipeline.pipe_names
    # the layers run on numpy's matmul, not blis's generic kernel
    assert pipeline.get_pipe("tok2vec").model.ops.use_blis is False
    assert pipeline.get_pipe("ner").model.ops.use_blis is False


def _annotations(t):  # type: ignore[no-untyped-def]
    return (t.pos_, str(t.morph), t.lemma_, t.tag_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_)


@pytest.mark.nlp
def test_pos_lemma_gives_what_spacys_components_give(pipeline) -> None:  # type: ignore[no-untyped-def]
    """Token for token, the cached component and numpy matmul change no annotation."""
    reference = nlp.load(fast=False)
    assert "attribute_ruler" in reference.pipe_names
    texts = [p.read_text(encoding="utf-8") for p in FIXTURE_TEXTS if p.is_file()]
    # the rules for non-standard English ("gonna", "y'all", "ain't") and spaces
    texts.append("Y'all ain't gonna believe it.\n\n  There were 3 people.  Let's go, c'mon.")
    assert len(texts) > 10
    checked = 0
    fast_docs = list(pipeline.pipe(texts))
    slow_docs = list(reference.pipe(texts))
    for fast, slow in zip(fast_docs, slow_docs, strict=True):
        assert len(fast) == len(slow)
        for a, b in zip(fast, slow, strict=True):
            assert _annotations(a) == _annotations(b), (a.text, a.i)
            checked += 1
    assert checked > 5_000
    # the two-token rules took part: "ai" + "n't" -> be, "gon" + "na" -> go / to
    last = {t.text: t.lemma_ for t in fast_docs[-1]}
    assert last["ai"] == "be" and last["gon"] == "go" and last["na"] == "to"


def test_blas_threads_are_limited_in_the_workers_only() -> None:
    """Loading the model leaves the process environment (which children inherit) alone; the
    extraction workers limit their own BLAS to one thread at run time."""
    code = (
        "import os, sys\n"
        "from newsdesk.index.extract import nlp\n"
        "nlp.describe()\n"
        "if nlp.mode() == 'spacy': nlp.load()\n"
        "assert not any(v in os.environ for v in "
        "('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS')), 'env changed'\n"
        "nlp.single_threaded_blas()\n"
        "from threadpoolctl import threadpool_info\n"
        "blas = [i for i in threadpool_info() if i['user_api'] == 'blas']\n"
        "assert blas and all(i['num_threads'] == 1 for i in blas), blas\n"
        "assert 'OPENBLAS_NUM_THREADS' not in os.environ\n"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
    }
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True, env=env)


def test_a_thinc_without_use_blis_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("thinc")
    import contextlib

    import thinc.api

    class NoBlisArgument:
        def __init__(self, **kwargs: object) -> None:
            if "use_blis" in kwargs:
                raise TypeError("__init__() got an unexpected keyword argument 'use_blis'")

    monkeypatch.setattr(thinc.api, "NumpyOps", NoBlisArgument)
    assert isinstance(nlp.matmul_ops(), contextlib.nullcontext)


def test_the_model_loads_from_the_verified_folder_not_the_package() -> None:
    _model_dir()
    code = (
        "import sys\n"
        "from newsdesk.index.extract import nlp\n"
        "name, _ = nlp.find_model()\n"
        "nlp.load('ner')\n"
        "assert name not in sys.modules, f'{name} imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True)


def _stock_pipeline():  # type: ignore[no-untyped-def]
    """spaCy's own pipeline of the verified model (its own components), uncached."""
    return nlp._load.__wrapped__("full", None, False)  # type: ignore[attr-defined]


def test_pos_lemma_is_used_only_when_its_self_check_passes(
    pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from newsdesk.index.extract import pos_lemma

    stock = _stock_pipeline()
    assert pos_lemma.self_check(stock, pos_lemma.PosLemma(
        stock.get_pipe("attribute_ruler"), stock.get_pipe("lemmatizer"), stock.vocab
    ))  # fmt: skip
    real_call = pos_lemma.PosLemma.__call__

    def one_wrong_lemma(self, doc):  # type: ignore[no-untyped-def]
        doc = real_call(self, doc)
        doc[3].lemma_ = "wrong"
        return doc

    monkeypatch.setattr(pos_lemma.PosLemma, "__call__", one_wrong_lemma)
    assert nlp._fast_pos_lemma(stock) is False
    assert "attribute_ruler" in stock.pipe_names and "lemmatizer" in stock.pipe_names
    assert nlp.POS_LEMMA_COMPONENT not in stock.pipe_names


def test_pos_lemma_needs_a_lemmatizer_it_can_cache(pipeline) -> None:  # type: ignore[no-untyped-def]
    from newsdesk.index.extract import pos_lemma

    stock = _stock_pipeline()
    ruler, lemmatizer = stock.get_pipe("attribute_ruler"), stock.get_pipe("lemmatizer")
    assert pos_lemma.supported(ruler, lemmatizer)
    from types import SimpleNamespace

    overwriting = SimpleNamespace(mode=lemmatizer.mode, overwrite=True)
    assert not pos_lemma.supported(ruler, overwriting)
    other_mode = SimpleNamespace(mode="pos_lookup", overwrite=False)
    assert not pos_lemma.supported(ruler, other_mode)


STOCK = """
import json, sys
import spacy
from newsdesk.index.extract import nlp
_, data = nlp.find_model()
stock = spacy.load(data, exclude=["senter"])  # spaCy's defaults: its ops, its components
nlp._register_components()
stock.add_pipe(nlp.NEWLINE_COMPONENT, before="parser")
texts = json.load(sys.stdin)
out = [[(t.pos_, str(t.morph), t.lemma_, t.tag_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_)
        for t in doc] for doc in stock.pipe(texts)]
json.dump(out, sys.stdout)
"""


@pytest.mark.nlp
def test_our_pipeline_annotates_as_stock_spacy_does(pipeline) -> None:  # type: ignore[no-untyped-def]
    """numpy's matmul and the cached ruler/lemmatizer against spaCy as it comes (its default
    ops, blis included, and its own components), in a process of its own."""
    import json

    texts = [p.read_text(encoding="utf-8") for p in FIXTURE_TEXTS if p.is_file()]
    texts.append("Y'all ain't gonna believe it.\n\n  There were 3 people.  Let's go, c'mon.")
    proc = subprocess.run(
        [sys.executable, "-c", STOCK],
        cwd=REPO,
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
    )
    stock = json.loads(proc.stdout)
    ours = [[list(_annotations(t)) for t in doc] for doc in pipeline.pipe(texts)]
    assert len(ours) == len(stock)
    checked = 0
    for text, mine, theirs in zip(texts, ours, stock, strict=True):
        assert len(mine) == len(theirs), text[:60]
        for i, (a, b) in enumerate(zip(mine, theirs, strict=True)):
            assert a == b, (text[:60], i, a, b)
            checked += 1
    assert checked > 5_000
