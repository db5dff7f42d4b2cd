"""The token layer: underthesea words and POS as a spaCy Doc with exact offsets, the pipeline
artefact in models/, and what hangs on it — counted nouns as whole words, number words, officials
beyond Vietnamese surnames. Sentences are written for these tests in the shape of news reports."""
import filecmp
from pathlib import Path

import pytest
import spacy

from extractors.document import analyse
from extractors.tokens import MODEL_DIR, load
from extractors.tokens.build import build
from helpers import facts_of, mentions_of
from pipeline.clean import clean_text
from pipeline.fetch import list_files, read_file

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"      # ../shared beside the repository
BUNDLED = Path(__file__).resolve().parents[1] / "corpus"


def _one(sentence: str, value) -> dict:
    found = [f for f in facts_of(sentence) if f["value"] == value]
    assert len(found) == 1, f"expected one fact of value {value!r} in {sentence!r}, got {found}"
    return found[0]


# sentence, value, kind, unit (whole words, exactly as written)
@pytest.mark.parametrize("sentence, value, kind, unit", [
    # units are whole words, not the first syllable
    ("Sở Nội vụ được giao 37 đầu việc trong quý này.", 37, "count", "đầu việc"),
    ("Gói thầu có 6 nhà thầu tham dự.", 6, "count", "nhà thầu"),
    ("Hội nghị thống nhất 5 giải pháp trọng tâm.", 5, "count", "giải pháp"),
    ("Bệnh viện huyện còn thiếu 90 loại thuốc.", 90, "count", "loại thuốc"),
    ("Công an tỉnh đã cấp 2 triệu căn cước cho người dân.", 2000000, "count", "căn cước"),
    ("Tuyến phố có 14 hộ kinh doanh đăng ký.", 14, "count", "hộ"),             # the head, as "lượt truy xuất"
    # counted nouns not on any list, abbreviations kept as written
    ("Toàn tỉnh hiện có 27 CCN đang hoạt động.", 27, "count", "CCN"),
    ("Tỉnh đã kiện toàn 3 BQL dự án.", 3, "count", "BQL"),
    ("Năm qua có 610 DN thành lập mới.", 610, "count", "DN"),
    ("UBND tỉnh đã ban hành 120 quyết định cá biệt.", 120, "count", "quyết định"),
    ("Đã rà soát 4.300 TTHC thuộc thẩm quyền.", 4300, "count", "TTHC"),
    ("Cảng cá đón 12 tàu vào neo đậu.", 12, "count", "tàu"),
    ("Thành phố công bố 800 tập dữ liệu mở.", 800, "count", "tập"),
    ("Lực lượng chức năng phát hiện 45 vụ vi phạm.", 45, "count", "vụ"),
    # the counted noun written before the number, or before a bracketed count
    ("Theo kết quả mở thầu, số nhà thầu trúng thầu là 38.", 38, "count", "nhà thầu"),
    ("Kết quả có 78% (77.609) ý kiến đồng tình.", 77609, "count", "ý kiến"),
    ("Huyện có 100% học sinh (4.512/4.512) được cấp mã định danh.", [4512, 4512], "ratio", "học sinh"),
    # ratios over a noun phrase keep the unit
    ("Đã có 31/80 mặt hàng được bình ổn giá.", [31, 80], "ratio", "mặt hàng"),
    ("Hoàn thành nâng cấp 12/12 điểm bưu chính văn hóa xã.", [12, 12], "ratio", "điểm"),
    # number words
    ("Đơn vị đã điều bốn tàu kiểm ngư ra khu vực.", 4, "count", "tàu"),
    ("Tỉnh vừa thành lập ba hội nghề nghiệp.", 3, "count", "hội"),
    ("Trường đón thêm hai cô giáo từ miền xuôi.", 2, "count", "cô giáo"),
    ("Tàu bị hỏng hai máy phụ và một máy chính.", 1, "count", "máy"),
    ("Đơn vị đã điều năm tàu tham gia cứu hộ.", 5, "count", "tàu"),
])
def test_counted_nouns_are_whole_words(sentence, value, kind, unit):
    fact = _one(sentence, value)
    assert (fact["kind"], fact["unit"]) == (kind, unit)


@pytest.mark.parametrize("sentence", [
    "Năm 2024, tỉnh tiếp tục vận hành Đề án một cửa liên thông.",
    "Ông là một cán bộ tận tụy với công việc.",
    "Cả năm qua, một số xã chưa hoàn thành kế hoạch.",
    "Đội bóng tập luyện vào Thứ Bảy hàng tuần, đôi ba tình huống còn lúng túng.",
    "Sáng 17.7 đoàn công tác họp trực tuyến với các huyện.",
])
def test_number_words_and_dates_that_count_nothing(sentence):
    assert facts_of(sentence) == []


def test_an_abbreviated_unit_is_expanded_for_the_concept_only():
    (q,) = [q for q in mentions_of("Toàn tỉnh hiện có 27 CCN đang hoạt động.").quantities if q.value == 27]
    assert (q.unit, q.unit_expanded) == ("CCN", "cụm công nghiệp")


def officials(text: str) -> dict[str, list[str]]:
    return {o.name: o.titles for o in mentions_of(text).officials}


@pytest.mark.parametrize("text, expected", [
    ("Bộ trưởng Ngoại giao Nhật Bản Kamikawa Yoko đã tiếp đoàn công tác của tỉnh.",
     {"Kamikawa Yoko": ["Bộ trưởng Ngoại giao Nhật Bản"]}),
    ("Thủ tướng Anh Keir Starmer phát biểu tại hội nghị thượng đỉnh.",
     {"Keir Starmer": ["Thủ tướng Anh"]}),
    ("Tổng thống Pháp Emmanuel Macron hội đàm với Chủ tịch nước Võ Văn Thưởng.",
     {"Emmanuel Macron": ["Tổng thống Pháp"], "Võ Văn Thưởng": ["Chủ tịch nước"]}),
    ("Đại sứ Hoa Kỳ Marc Knapper và Thủ tướng Lào Sonexay Siphandone cùng dự lễ.",
     {"Marc Knapper": ["Đại sứ Hoa Kỳ"], "Sonexay Siphandone": ["Thủ tướng Lào"]}),
    # a name never swallows the title after it
    ("Ông Trần Văn Nam Phó Chủ tịch UBND tỉnh cho biết kế hoạch đã hoàn thành.",
     {"Trần Văn Nam": ["Phó Chủ tịch UBND tỉnh"]}),
    # a title chain in apposition before the name is kept whole
    ("Ủy viên Trung ương Đảng, Phó Bí thư Thành ủy, Chủ tịch UBND TP Nguyễn Văn Được phát biểu.",
     {"Nguyễn Văn Được": ["Ủy viên Trung ương Đảng", "Phó Bí thư Thành ủy", "Chủ tịch UBND TP"]}),
    # … but not when the chain before belongs to the person named before it
    ("Bà Lê Thị Hoa, Chủ tịch Hội Nông dân, Phó Chủ tịch UBND tỉnh Đỗ Văn Bình dự buổi lễ.",
     {"Lê Thị Hoa": ["Chủ tịch Hội Nông dân"], "Đỗ Văn Bình": ["Phó Chủ tịch UBND tỉnh"]}),
])
def test_officials_with_titles(text, expected):
    assert officials(text) == expected


def test_a_foreign_name_without_a_title_is_not_an_official():
    assert officials("Cầu thủ Keir Starmer ghi bàn thắng quyết định.") == {}


def _sentences(folder: Path):
    for path in list_files([folder]):
        text = clean_text(read_file(path).content).text
        analysis = analyse(text)
        for sentence in analysis.sentences:
            yield text, sentence


def test_every_token_of_the_seed_and_dev_texts_has_exact_offsets():
    from underthesea import word_tokenize

    nlp = load()
    folders = [BUNDLED / "seeds"] + [p for p in (CORPUS / "seeds", CORPUS / "dev" / "texts") if p.exists()]
    tokens = agree = words = 0
    for folder in folders:
        for text, sentence in _sentences(folder):
            doc = nlp(sentence.text)
            assert doc.text == sentence.text
            for token in doc:
                start = sentence.start + token.idx
                assert text[start:start + len(token.text)] == token.text
                assert token.is_space or token.text.strip() == token.text
                tokens += 1
            # nothing lost or added: the words are the sentence without its spaces
            assert "".join(t.text.replace(" ", "") for t in doc if not t.is_space) == "".join(sentence.text.split())
            # the words are underthesea's (except a number is never glued to a word)
            ours = {t.text.lower() for t in doc if " " in t.text}
            theirs = [w.lower() for w in word_tokenize(sentence.text) if " " in w and not any(c.isdigit() for c in w)]
            words += len(theirs)
            agree += sum(w in ours for w in theirs)
    assert tokens > 10000
    assert agree / words > 0.97


def test_the_model_is_rebuilt_from_the_gazetteer_without_a_difference(tmp_path):
    out = build(tmp_path / "vi_vnfacts")
    committed = sorted(p.relative_to(MODEL_DIR) for p in MODEL_DIR.rglob("*") if p.is_file())
    rebuilt = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert committed == rebuilt
    _, mismatch, errors = filecmp.cmpfiles(MODEL_DIR, out, [str(p) for p in committed], shallow=False)
    assert (mismatch, errors) == ([], []), "models/vi_vnfacts is stale: python -m extractors.tokens.build"
    nlp = spacy.load(out)
    assert nlp.pipe_names == ["phrases", "phrases_cased", "vnfacts_pos", "vnfacts_counted_nouns", "vnfacts_persons"]


def test_components_declare_what_they_assign_and_write_it_on_the_doc():
    nlp = load()
    assert "doc.spans" in nlp.get_pipe_meta("vnfacts_counted_nouns").assigns
    assert "token.tag" in nlp.get_pipe_meta("vnfacts_counted_nouns").requires
    doc = nlp("Cảng cá đón 12 tàu và Bộ trưởng Ngoại giao Nhật Bản Kamikawa Yoko.")
    assert [(s.text, s.label_) for s in doc.spans["counted"]] == [("tàu", "COUNTED")]
    assert doc[doc.spans["counted"][0].start - 1]._.counted == (doc.spans["counted"][0].start,
                                                                doc.spans["counted"][0].end)
    assert {(s.text, s.label_) for s in doc.spans["gazetteer"]} >= {("Bộ trưởng", "TITLE"), ("Nhật Bản", "COUNTRY")}
    assert [s.text for s in doc.spans["persons"]] == ["Kamikawa Yoko"]
    assert [t.tag_ for t in doc][:4] == ["N", "N", "V", "M"]


def test_the_pipeline_is_reloaded_after_many_docs_and_reads_the_same(monkeypatch):
    from extractors import tokens
    from settings import thresholds

    before = tokens.load()
    monkeypatch.setattr(thresholds, "TOKEN_LAYER_RELOAD_DOCS", 1)
    sentence = "Gói thầu có 6 nhà thầu tham dự."
    first = _one(sentence, 6)
    second = _one(sentence, 6)                        # a second Doc: the pipeline is loaded afresh
    assert tokens.load() is not before
    assert first["unit"] == second["unit"] == "nhà thầu"


def _crf_rows():
    """Every sentence of the bundled seeds and the shared dev texts as the token layer's (word, tag)
    rows, and a few edge cases (digits, punctuation, all capitals, one word)."""
    nlp = load()
    folders = [BUNDLED / "seeds"] + [p for p in (CORPUS / "dev" / "texts",) if p.exists()]
    for folder in folders:
        for _text, sentence in _sentences(folder):
            yield [(t.text, t.tag_) for t in nlp(sentence.text) if not t.is_space]
    for sentence in ("Bộ trưởng Ngoại giao Nhật Bản Kamikawa Yoko và Thủ tướng Anh Keir Starmer đã hội đàm.",
                     "ÔNG NGUYỄN VĂN A, CHỦ TỊCH UBND TỈNH (HÀ GIANG), NĂM 2024 ĐẠT 86,7%.", "A"):
        yield [(t.text, t.tag_) for t in nlp(sentence) if not t.is_space]


def test_chunking_and_ner_tags_are_underthesea_own():
    """The chunking and NER CRFs are fed by underthesea_core's compiled featurizer: on real sentences
    their tags are those of underthesea's own predictors (which feature every word in Python)."""
    from underthesea.pipeline.chunking.model_crf import CRFChunkingPredictor
    from underthesea.pipeline.ner.model_crf import CRFNERPredictor

    from extractors.tokens.tokenizer import predict

    chunker, ner = CRFChunkingPredictor.Instance(), CRFNERPredictor.Instance()
    sentences = persons = 0
    for tagged in _crf_rows():
        chunked = chunker.predict(tagged)
        assert predict(chunker, tagged) == chunked
        named = ner.predict(chunked)
        assert predict(ner, chunked) == named
        sentences += 1
        persons += sum(tag == "B-PER" for *_row, tag in named)
    assert sentences > 100 and persons > 10


def test_the_token_layer_loads_underthesea_models_through_underthesea():
    """One copy of each CRF per process, the one underthesea itself uses (no model folder named here)."""
    import underthesea.pipeline.pos_tag as pos_module
    import underthesea.pipeline.word_tokenize as word_module
    from underthesea import word_tokenize

    from extractors.tokens.tokenizer import _segmenter, _tagger

    assert _segmenter() is word_module.word_tokenize_model
    assert _tagger() is pos_module.pos_model_v2
    word_tokenize("Sở Nội vụ")
    assert _segmenter() is word_module.word_tokenize_model


def test_pos_tags_are_assigned_by_a_pipeline_component():
    nlp = load()
    analysis = nlp.analyze_pipes()
    assert analysis["problems"] == {name: [] for name in nlp.pipe_names}
    assert "token.tag" in nlp.get_pipe_meta("vnfacts_pos").assigns
    assert nlp.get_pipe_config("phrases")["spans_key"] == "gazetteer"       # spaCy's span_ruler
    doc = nlp.make_doc("Cảng cá đón 12 tàu.")
    assert all(t.tag_ == "" for t in doc)                                     # the tokenizer only segments
    assert [t.tag_ for t in nlp(doc.text)] == ["N", "N", "V", "M", "N", "CH"]


def test_underthesea_word_lists_no_model_reads_are_let_go():
    """The chunking, NER and 2017 POS feature modules load Viet74K twice each (45 MB) for is_in_dict,
    which none of their templates uses: the token layer empties them, and the tags stay underthesea's."""
    from underthesea import ner
    from underthesea.pipeline.chunking.model_crf import CRFChunkingPredictor
    from underthesea.pipeline.ner import tagged_feature
    from underthesea.pipeline.ner.model_crf import CRFNERPredictor
    from underthesea.pipeline.pos_tag.model_crf import CRFPOSTagPredictor

    load()
    assert tagged_feature.lower_words == set()
    for predictor in (CRFChunkingPredictor, CRFNERPredictor, CRFPOSTagPredictor):
        assert not any("is_in_dict" in t for t in predictor.Instance().transformer.template)
    assert [tag for *_row, tag in ner("Ông Nguyễn Văn A làm việc tại Hà Nội.")] == ["O", "B-PER", "O", "O", "B-LOC", "O"]
