"""Indicator phrase and concept key for each quantity.

The concept is read from cues (``gazetteer/data/concepts.yaml``) in widening regions around the
number: the indicator phrase itself, then the text before it in its segment (up to ";" or ":"),
the text after it in the segment, the rest of the sentence, and the previous sentence. In each
region a concept that another one present dominates is dropped, and the cue nearest the number
wins. Weak cues count only when no region has a cue. Nothing found: ``other``.
"""
from __future__ import annotations

import collections
from dataclasses import dataclass
from functools import cache

import regex

import gazetteer
from extractors.concepts import patterns as P
from extractors.concepts.subject import segment_start, subject_of
from extractors.lexicon import (PhraseFinder, alternation, cues, match_at_start, phrase_finder, phrase_key, phrase_pattern,
                                straddles_words, vocabulary)
from extractors.semantics import is_parallel
from extractors.quantities import Quantity
from extractors.document import Analysis
from settings import thresholds



@dataclass
class Indicator:
    phrase: str | None
    concept: str
    subject: str | None = None


@cache
def _cue_index(weak: bool) -> tuple[PhraseFinder, dict[str, str]]:
    owner: dict[str, str] = {}
    for concept in gazetteer.concepts().values():
        for cue in (concept.weak if weak else concept.cues):
            owner.setdefault(_key(cue), concept.key)
    return phrase_finder(tuple(owner)), owner


def _key(s: str) -> str:
    return phrase_key(s)


def classify(analysis: Analysis, quantities: list[Quantity], roles: list[str]) -> list[Indicator]:
    """The indicator of each quantity: its own cues first, then the report it belongs to (see
    :func:`_implicit_subjects`)."""
    out: list[Indicator] = []
    own: list[bool] = []          # the concept comes from a cue of the fact's own text (or its list)
    for i, q in enumerate(quantities):
        phrase, (pa, pb) = _indicator_phrase(analysis, q)
        prev = out[-1] if out and quantities[i - 1].sentence is q.sentence else None
        subject = subject_of(analysis, q) or (prev.subject if prev is not None else None)
        if phrase and subject and phrase.startswith(subject + " "):
            phrase = phrase[len(subject) + 1:]          # "Sở Tư pháp đã số hóa …" measures "đã số hóa …"
            phrase = P.ASPECT_MARKER.sub("", phrase)
        if roles[i] == "change" and prev is not None and quantities[i - 1].end <= q.start:
            out.append(Indicator(prev.phrase, prev.concept, subject or prev.subject))
            own.append(own[-1])
            continue
        after = quantities[i - 1].surface_end if prev is not None else None
        nxt = quantities[i + 1].start if i + 1 < len(quantities) and quantities[i + 1].sentence is q.sentence else None
        # A rank names only what it ranks: a figure listed after it inherits from the figure before the rank
        # ("… dẫn đầu với 100%, Bộ Công Thương đứng thứ hai với tỷ lệ 99,7%").
        source = i - 1
        while prev is not None and q.kind != "rank" and source > 0 and quantities[source].kind == "rank" \
                and quantities[source - 1].sentence is q.sentence:
            source -= 1
        concept, strong = _concept(analysis, q, pa, pb, after, nxt, out[source].concept if prev else None,
                                   own[source] if prev is not None else False)
        out.append(Indicator(phrase, concept, subject))
        own.append(strong)
    _implicit_subjects(analysis, quantities, out, own)
    return out


def _implicit_subjects(analysis: Analysis, quantities: list[Quantity], out: list[Indicator], own: list[bool]) -> None:
    """Figures that name no indicator of their own take the subject of their report (docs/GOLD.md).

    The subject of a paragraph is the concept most of its cues name; of the article, the concept
    most of all its cues name (at least ``SUBJECT_MIN_FACTS`` of them and over ``SUBJECT_MIN_SHARE``).
    A figure in a paragraph that breaks down the one before ("Trong đó, huyện A đạt 104%") takes that
    paragraph's subject; any other figure takes the subject of its paragraph, else of the nearest
    paragraph before that names one, else of the article — when its sentence has a word that ties
    it to that subject (``implicit`` in concepts.yaml) or it names nothing itself ("Đà Nẵng (58,89%)",
    "tỷ lệ này"; ``generic_phrases``); a sentence that opens by continuing the one
    before ("Trong đó, có 22 xã …") keeps that sentence's subject. Only ``article_subject`` concepts
    qualify."""
    if not quantities:
        return
    concepts = gazetteer.concepts()
    text = analysis.text
    paragraphs = [_cue_counts(text, a, b) for a, b in analysis.paragraphs]
    # a concept that needs its channel named (``requires``) is no subject of an article that never names
    # it: a report on health insurance in general is not about care by identity card
    unnamed = {k for k in set().union(*paragraphs) if concepts[k].requires
               and not phrase_finder(concepts[k].requires).search(text, 0, len(text))}
    for counts in paragraphs:
        for k in unnamed & counts.keys():
            del counts[k]
    article = sum(paragraphs, collections.Counter())
    subject_of_article = _dominant(article, concepts, thresholds.SUBJECT_MIN_FACTS)
    nearest: list[str | None] = []          # the subject of each paragraph, else of the nearest one before that names any cue
    for counts in paragraphs:
        nearest.append(_dominant(counts, concepts, 1) if counts else (nearest[-1] if nearest else None))
    for i, (q, ind, strong) in enumerate(zip(quantities, out, own)):
        if q.kind == "rank" and ind.concept == "other":
            # A position right after the figure it ranks, in its sentence, is that figure's: "GRDP … ước đạt
            # 99.686 tỷ đồng; xếp thứ 33/63 tỉnh", "… đạt mức 6,9%, đứng thứ 22/63 và thứ 4/14 …" — not one
            # a clause of its own away ("kích hoạt 81.000 tài khoản, hoàn thành vượt chỉ tiêu, tỉnh xếp thứ 6").
            before = next((k for k in range(i - 1, -1, -1) if quantities[k].sentence is q.sentence), None)
            # (the next position of a list of them, "… xếp thứ 33/63 tỉnh, thành phố trong cả nước và xếp thứ 3
            # khu vực", may stand further away)
            reach = thresholds.RANK_AFTER_FIGURE_CHARS * (2 if before is not None and quantities[before].kind == "rank" else 1)
            ranked = out[before].concept if before is not None and out[before].concept != "other" \
                and q.start - quantities[before].surface_end <= reach else None
            if ranked:
                out[i] = Indicator(ind.phrase, ranked, ind.subject)
                continue
            found = nearest[q.sentence.paragraph] or subject_of_article
            if found and concepts[found].ranked:      # "CQS xếp thứ 40/63" in a report on the DTI
                out[i] = Indicator(ind.phrase, found, ind.subject)
            continue
        if strong or q.kind == "rank":
            continue
        p = q.sentence.paragraph
        if _continues(text, analysis.paragraphs[p][0]):
            # an excerpt that opens mid-report ("Trong đó có hơn 650 trường hợp …") breaks down what the
            # article is about
            found = _dominant(paragraphs[p - 1], concepts, 1) if p > 0 else subject_of_article
            if found:
                out[i] = Indicator(ind.phrase, found, ind.subject)
                continue
        s = q.sentence
        if i > 0 and _continues(text, s.start) and quantities[i - 1].sentence.index in (s.index - 1, s.index) \
                and not _counts_another_thing(q, quantities[i - 1]):
            # a breakdown of the sentence before ("GRDP tăng 3,02%. Trong đó, khu vực dịch vụ tăng 3,84%")
            # has the total's indicator, whatever it is (docs/GOLD.md, "Breakdowns"); so has the rest of a
            # list, in a paragraph of its own or not ("… 31,1 tỷ USD.\nTiếp theo là Bắc Ninh 28,66 tỷ USD; …")
            out[i] = Indicator(ind.phrase, out[i - 1].concept, ind.subject)
            continue
        candidates = [nearest[p], subject_of_article]
        bare = ind.phrase is None or ind.phrase.lower().strip(" ,") in gazetteer.generic_phrases()
        for found in candidates:
            if found and (bare or phrase_finder(concepts[found].implicit).search(text, s.start, s.end)):
                out[i] = Indicator(ind.phrase, found, ind.subject)
                break


def _cue_counts(text: str, a: int, b: int) -> collections.Counter:
    """How often each concept's cues are named between a and b (a dominated concept's cue counts
    for the one that dominates it when both are named)."""
    pattern, owner = _cue_index(False)
    counts = collections.Counter(owner[_key(m.group(0))] for m in pattern.finditer(text, a, b)
                                 if _key(m.group(0)) in owner and not straddles_words(text, m.start(), m.end()))
    concepts = gazetteer.concepts()
    dominated = {d for k in counts for d in concepts[k].dominates if d in counts}
    for d in dominated:
        del counts[d]
    return counts


def _continues(text: str, paragraph_start: int) -> bool:
    """The sentence or paragraph opens by continuing the one before ("Trong đó, …", "Tiếp theo là Bắc Ninh …")."""
    start = paragraph_start
    while start < len(text) and text[start].isspace():
        start += 1
    return bool(phrase_pattern(cues("continuation_openers", "list_continuation_openers"), False).match(text, start))


def _dominant(counts: collections.Counter, concepts: dict, minimum: int) -> str | None:
    """The concept of most of ``counts`` when it may be an implicit subject and dominates clearly."""
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < minimum or not concepts[ranked[0][0]].article_subject:
        return None
    if ranked[0][1] <= thresholds.SUBJECT_MIN_SHARE * sum(counts.values()):
        return None
    return ranked[0][0]


def _indicator_phrase(analysis: Analysis, q: Quantity) -> tuple[str | None, tuple[int, int]]:
    """What the figure measures, shown to reviewers and grouped on downstream, and the stretch of text
    where its own concept cues are looked for first."""
    phrase, region = _cue_region(analysis, q)
    return _subject_phrase(analysis.text, q) or phrase, region


def _subject_phrase(text: str, q: Quantity) -> str | None:
    """The noun phrase a figure quantifies when it stands before the figure (see :func:`_subject_span`)."""
    span = _subject_span(text, q)
    if span is None:
        return None
    words = P.WORDS.findall(text, *span)
    return " ".join(words[:thresholds.MAX_PHRASE_WORDS]).strip(" ,") or None


def _subject_span(text: str, q: Quantity) -> tuple[int, int] | None:
    """Where the noun phrase a figure quantifies stands before the figure and its linking verb
    ("Tỷ lệ kích hoạt tài khoản định danh điện tử mức độ 2 đạt 64,3%", "Tổng thu ngân sách ước đạt
    3.370 tỷ đồng"), cut at the clause's start and at a time or place said after it; a count names
    its own noun after the number unless its subject counts something ("Số hồ sơ … là 105.970 hồ sơ");
    an amount may follow its noun directly ("với tổng số vốn hơn 10.430 tỷ đồng")."""
    s = q.sentence
    if q.kind == "percent" and P.WORD_AFTER.match(text, q.unit_end, s.end) and not P.LINK_AFTER_PERCENT.match(text, q.unit_end, s.end):
        return None                   # "100% công dân …": the phrase after it
    clause_start = max((m.end() for m in P.PHRASE_BREAK.finditer(text, s.start, q.start)), default=s.start)
    link = _link_before().search(text, clause_start, q.start)
    if not link:
        noun = _noun_before_amount().search(text, clause_start, q.start) if q.kind in ("money", "quantity") else None
        return (noun.start("noun"), noun.end("noun")) if noun else None
    a, b = clause_start, link.start()
    opener = match_at_start(cues("phrase_openers"), text[a:b].lstrip(), ignore_case=True)
    if opener:
        a += len(text[a:b]) - len(text[a:b].lstrip()) + opener.end()
    heads = list(P.SUBJECT_HEAD.finditer(text, a, b))
    if heads:
        a = heads[0].start()
    elif q.kind in ("count", "rank", "ratio") and not P.COUNT_SUBJECT.match(text, a, b):
        return None
    end = P.SUBJECT_END.search(text, a + 1, b)
    b = end.start() if end else b
    while a < b and text[a].isspace():
        a += 1
    return (a, b) if b > a else None


@cache
def _noun_before_amount() -> regex.Pattern:
    return P.noun_before_amount(alternation(cues("amount_nouns")), alternation(vocabulary("qualifiers")))


@cache
def _link_before() -> regex.Pattern:
    return P.link_before(alternation(vocabulary("qualifiers")))


def _cue_region(analysis: Analysis, q: Quantity) -> tuple[str | None, tuple[int, int]]:
    text, s = analysis.text, q.sentence
    if q.kind != "percent" or P.WORD_AFTER.match(text, q.unit_end, s.end) \
            and not P.LINK_AFTER_PERCENT.match(text, q.unit_end, s.end):
        a = q.end if q.kind != "percent" else q.unit_end
        # A percentage's noun phrase runs to its clause end: "100% công dân … được cấp Căn cước công dân".
        stop = (P.NP_END if q.kind != "percent" else P.CLAUSE_END).search(text, q.unit_end, s.end)
        b = stop.start() if stop else s.end
        words = list(P.WORDS.finditer(text, a, b))
        if not words:
            return None, (q.start, q.surface_end)
        a = words[0].start() if q.kind == "percent" else a
        shown = words[:thresholds.MAX_PHRASE_WORDS][-1].end()
        phrase = text[a:shown].strip() if q.kind == "percent" else text[q.end:shown].strip()
        return phrase or None, (q.end, words[-1].end())
    # A percentage's subject stands before it: "Tỷ lệ kích hoạt … toàn tỉnh tính đến ngày 10.6 đạt 75,1%".
    seg_start = max((m.end() for m in P.SUBJECT_START.finditer(text, s.start, q.start)), default=s.start)
    heads = list(P.SUBJECT_HEAD.finditer(text, seg_start, q.start))
    a = heads[-1].start() if heads else seg_start
    end = P.SUBJECT_END.search(text, a + 1, q.start)
    b = end.start() if end else q.start
    words = list(P.WORDS.finditer(text, a, b))
    # A rate's name reads from its head ("Tỷ lệ kích hoạt …"); without one, the words nearest the number.
    words = words[:thresholds.MAX_PHRASE_WORDS] if heads else words[-thresholds.MAX_PHRASE_WORDS:]
    while words and words[0].group(0).lower() in P.LEADING_VERBS:
        words = words[1:]
    if not words:
        return None, (seg_start, q.start)
    phrase = text[words[0].start():words[-1].end()].strip(" ,")
    return phrase or None, (words[0].start(), q.start)


def _concept(analysis: Analysis, q: Quantity, pa: int, pb: int, prev_end: int | None, next_start: int | None,
             prev_concept: str | None, prev_strong: bool) -> tuple[str, bool]:
    """The concept and whether a cue of the fact's own stretch of text (or of the list or breakdown
    it belongs to) named it."""
    text, s = analysis.text, q.sentence
    seg_start = segment_start(text, s.start, q.start)
    seg_end_m = P.SEGMENT_BREAK.search(text, q.surface_end, s.end)
    seg_end = seg_end_m.start() if seg_end_m else s.end
    # Cues between two numbers belong to the nearer one's own stretch of text, unless the next number
    # is listed in parallel ("100% Bệnh viện tuyến tỉnh … và 02 Bệnh viện tư nhân … đã triển khai …").
    seg_start = max(seg_start, prev_end or seg_start)
    if next_start is not None and not is_parallel(text[q.surface_end:next_start]):
        seg_end = min(seg_end, next_start)
    # A parenthesis after the number opens a remark of its own: "… 69 biên chế (giảm chi ngân sách …)".
    paren = text.find("(", q.surface_end, seg_end)
    if paren >= 0:
        seg_end = paren
    is_price = q.kind == "money" and bool(P.PRICE_AFTER.match(text[q.end:q.end + 40]))
    if is_price:
        found = _best(text, pa, pb, q, False)
        return (found, True) if found else ("other", False)
    if q.kind == "rank":
        # what is ranked is named in the rank's own clause: "chỉ số DTI xếp thứ 24/63", not the report around it
        clause_start = max((m.end() for m in P.CLAUSE_END.finditer(text, s.start, q.start)), default=s.start)
        regions = ((pa, pb), (clause_start, q.start), (q.surface_end, seg_end))
    elif q.kind in ("count", "quantity") and not _counts_records(q):
        # what follows a count of its own thing beyond its noun phrase is another clause ("54 vụ tai nạn
        # giao thông, dù mô hình … được nhân rộng")
        regions = ((pa, pb), (seg_start, q.start))
    else:
        regions = ((pa, pb), (seg_start, q.start), (q.surface_end, seg_end))
    subject = _subject_span(text, q) if q.kind != "rank" else None
    if subject:
        # the figure's own noun phrase decides first, by its head: "thu từ khu vực có vốn đầu tư nước
        # ngoài đạt 42.981 tỷ đồng" is budget revenue, whatever it comes from
        found = _best(text, *subject, q, False, head_first=True)
        if found:
            return found, True
    for a, b in regions:
        found = _best(text, a, b, q, False)
        if found:
            return found, True
    if q.kind == "rank":
        return "other", True              # a rank measures what its own phrase ranks, nothing inherited
    if prev_concept is not None and prev_end is not None and (
            ";" not in text[prev_end:q.start] or P.BREAKDOWN.search(text, prev_end, q.start)):
        return prev_concept, prev_strong  # listed after another, or breaking it down: the same indicator
    weak = _best(text, pa, _head_end(text, pa, pb), q, True)
    if weak:
        return weak, False
    if q.kind in ("count", "quantity") and not _counts_records(q):
        return "other", False         # "54 vụ tai nạn giao thông" measures its own noun, whatever else the sentence names
    # the sentence up to the end of the figure's own stretch between semicolons: a list after its first item
    # shares its indicator ("… không dùng tiền mặt đạt 75%; chế độ BHXH một lần đạt trên 96%"), but a later
    # item's is its own ("tỷ lệ bao phủ BHYT đạt 93,5%; …; tỷ lệ người dân hài lòng đạt trên 87%") — except
    # for a count of records, whose indicator may come next ("178.661 hồ sơ …; tỷ lệ … đúng hạn đạt 97%")
    nxt = P.SEGMENT_BREAK.search(text, q.surface_end, s.end)
    b = nxt.start() if nxt and not _counts_records(q) else s.end
    found = _best(text, s.start, b, q, False, skip=_parentheticals(text, s.start, b, q))
    return (found, False) if found else ("other", False)


def _counts_another_thing(q: Quantity, before: Quantity) -> bool:
    """A count of its own thing after a figure of another unit breaks nothing down: "… các văn bản hướng
    dẫn (31 văn bản). Cụ thể, cả nước có 2.358 xã đạt chuẩn" counts communes, not documents."""
    if q.kind not in ("count", "quantity") or _counts_records(q):
        return False
    head = (q.unit or "").lower().split(" ")[0]
    return before.kind != q.kind or (before.unit or "").lower().split(" ")[0] != head


def _counts_records(q: Quantity) -> bool:
    """A count of records, cases or times ("178.661 hồ sơ yêu cầu giải quyết về TTHC"), which measures
    what its sentence is about (record_nouns.txt)."""
    unit = (q.unit or "").lower()
    return any(unit == n or unit.startswith(n + " ") for n in _record_nouns())


@cache
def _record_nouns() -> frozenset[str]:
    return frozenset(n.lower() for n in gazetteer.record_nouns())


def _parentheticals(text: str, a: int, b: int, q: Quantity) -> list[tuple[int, int]]:
    """Bracketed remarks of a sentence, other than one holding the number itself."""
    spans = [(m.start(), m.end()) for m in P.PARENTHETICAL.finditer(text, a, b)]
    return [(x, y) for x, y in spans if not x <= q.start < y]


def _head_end(text: str, a: int, b: int) -> int:
    """End of the head of an indicator phrase: a weak cue ("văn bản", "hội nghị") counts only as the
    counted noun itself, not somewhere later in the phrase."""
    words = list(P.WORDS.finditer(text, a, b))
    skip = 1 if words and words[0].group(0).lower() in P.DETERMINERS else 0
    head = words[skip:skip + P.HEAD_WORDS]
    return head[-1].end() if head else a


def _best(text: str, a: int, b: int, q: Quantity, weak: bool, skip: list[tuple[int, int]] = (),
          head_first: bool = False) -> str | None:
    """The concept of the cue nearest the number between a and b (or, ``head_first``, of the first
    cue: the head of a noun phrase), once concepts another present one dominates are dropped."""
    if b <= a:
        return None
    pattern, owner = _cue_index(weak)
    hits = []
    for m in pattern.finditer(text, a, b):
        if any(x <= m.start() < y for x, y in skip) or straddles_words(text, m.start(), m.end()):
            continue
        key = owner.get(_key(m.group(0)))
        if key and _required_named(text, q, key):
            distance = q.start - m.end() if m.end() <= q.start else m.start() - q.surface_end
            hits.append((m.start() if head_first else max(distance, 0), key))
    if not hits:
        return None
    present = {k for _, k in hits}
    concepts = gazetteer.concepts()
    dominated = _dominated(present, q.kind in RATES)
    hits = [h for h in hits if h[1] not in dominated] or hits
    return min(hits)[1]


RATES = ("percent", "ratio")


def _required_named(text: str, q: Quantity, key: str) -> bool:
    """A concept whose cues need a word of its ``requires`` list in the figure's sentence has one there."""
    required = gazetteer.concepts()[key].requires
    return not required or bool(phrase_finder(required).search(text, q.sentence.start, q.sentence.end))


def _dominated(present: set[str], rate: bool) -> set[str]:
    """The concepts present that another present one overrides. For a rate, ``dominates_rates`` comes
    first: "chi trả qua tài khoản cho 12.400/15.000 người" is a rate of cashless payment although the
    count of beneficiaries paid is a welfare figure."""
    concepts = gazetteer.concepts()
    first = {d for k in present for d in concepts[k].dominates_rates} if rate else set()
    return first | {d for k in present if k not in first for d in concepts[k].dominates}
