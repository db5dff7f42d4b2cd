"""Scoring extracted records against gold annotations (the format of docs/GOLD.md).

Computes precision, recall and F1 the way the acceptance scorer does, so ``vnfacts eval`` and
``score.py`` print the same figures (a test holds them together): facts match on kind, value and a
context contained in the evidence; a fact's attributes count only where the gold gives them;
officials match on the normalised name, titles on their normalised form.
"""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

ABBREV = {"ubnd": "uybannhandan", "hdnd": "hoidongnhandan", "btv": "banthuongvu",
          "bch": "banchaphanh", "tw": "trunguong", "mttq": "mattranquoc"}
FACT_ATTRS = ("qualifier", "role", "direction", "baseline", "period", "as_of", "negated", "unit", "concept")
WORD_NUMBERS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8,
                "chin": 9, "muoi": 10}
ALIASES = {"tphcm": "hochiminh", "hcm": "hochiminh", "saigon": "hochiminh"}


def _strip(s: object) -> str:
    s = unicodedata.normalize("NFD", str(s)).replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


def norm(s: object) -> str:
    return "" if s is None else re.sub(r"[^a-z0-9]", "", _strip(s))


def _words(s: object) -> list[str]:
    return [ABBREV.get(w, w) for w in re.findall(r"[a-z0-9]+", _strip(s or ""))]


def _province_words() -> list[str]:
    import gazetteer

    names = set(gazetteer.provinces()) | set(gazetteer.provinces_current()) | {"Bà Rịa-Vũng Tàu", "Huế"}
    return sorted({" ".join(_words(p)) for p in names} | {"ho chi minh", "hcm"}, key=len, reverse=True)


def norm_title(s: str, province_words: list[str]) -> str:
    t = " " + " ".join(_words(s)) + " "
    for p in province_words:
        t = t.replace(" " + p + " ", " ")
    t = re.sub(r" (tinh|tp|thanh pho|bo|nguyen)(?= )", " ", t)
    return t.replace(" ", "")


def norm_province(s: object) -> str:
    t = norm(s)
    for prefix in ("thanhpho", "tinh", "tp"):
        if t.startswith(prefix) and len(t) > len(prefix) + 2:
            t = t[len(prefix):]
    return ALIASES.get(t, t)


def same_value(kind: str, a: object, b: object) -> bool:
    try:
        if kind == "ratio":
            return len(a) == 2 and len(b) == 2 and all(abs(float(x) - float(y)) < 1e-6 for x, y in zip(a, b))
        fa, fb = float(a), float(b)
    except (TypeError, ValueError):
        return False
    return abs(fa - fb) <= max(1e-6, 0.005 * abs(fb)) if kind == "money" else abs(fa - fb) < 1e-6


def _numbers_in(s: str) -> list[float]:
    out = []
    for m in re.findall(r"\d[\d.,]*", s):
        digits = m.rstrip(".,")
        for cand in (digits.replace(".", "").replace(",", "."), digits.replace(",", "")):
            try:
                out.append(float(cand))
            except ValueError:
                pass
    out += [float(WORD_NUMBERS[w]) for w in _words(s) if w in WORD_NUMBERS]
    return out


def _attr_ok(attr: str, gold: dict, pred: dict) -> bool:
    g, p = gold.get(attr), pred.get(attr)
    if attr == "qualifier":
        return (p or "exact") == (g or "exact")
    if attr == "role":
        return (p or "actual") == (g or "actual")
    if attr == "negated":
        return bool(p) == bool(g)
    if attr == "unit":
        return norm(p).startswith(norm(g))
    return norm(p) == norm(g)


def _gold_attrs(g: dict) -> list[str]:
    return ["qualifier", "role", "negated"] + [a for a in ("direction", "baseline", "period", "as_of", "unit", "concept")
                                               if g.get(a) is not None]


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "tp": tp, "fp": fp, "fn": fn}


def load_gold(folder: Path) -> dict[str, dict]:
    gold = {}
    for f in sorted(Path(folder).glob("*.json")):
        g = json.loads(f.read_text(encoding="utf-8"))
        gold[g.get("article", f.stem)] = g
    return gold


def score(gold: dict[str, dict], records: list[dict], errors: list[str] | None = None) -> dict:
    errors = errors if errors is not None else []
    pred: dict[str, list[dict]] = {}
    for r in records:
        pred.setdefault(str(r.get("article")), []).append(r)
    provinces = _province_words()
    tp = fp = fn = strict_tp = 0
    attr_hit = {a: 0 for a in FACT_ATTRS}
    attr_n = {a: 0 for a in FACT_ATTRS}
    o_tp = o_fp = o_fn = t_tp = t_fp = t_fn = rank_hit = rank_n = 0
    prov = {"legacy": 0, "current": 0}
    for art, g in gold.items():
        recs = pred.get(art, [])
        facts = [r for r in recs if r.get("type") == "fact"]
        used = [False] * len(facts)
        for gf in g.get("facts", []):
            ctx = norm(gf["context"])
            hit = next((i for i, pf in enumerate(facts) if not used[i] and pf.get("kind") == gf["kind"]
                        and same_value(gf["kind"], pf.get("value"), gf["value"]) and ctx in norm(pf.get("evidence"))),
                       None)
            if hit is None:
                fn += 1
                errors.append(f"{art}: missed {gf['kind']} {gf['value']} «{gf['context']}»")
                continue
            used[hit] = True
            tp += 1
            ok = True
            for a in _gold_attrs(gf):
                attr_n[a] += 1
                if _attr_ok(a, gf, facts[hit]):
                    attr_hit[a] += 1
                else:
                    ok = False
                    errors.append(f"{art}: {gf['kind']} {gf['value']} «{gf['context']}»: {a} is "
                                  f"{facts[hit].get(a)!r}, gold {gf.get(a)!r}")
            strict_tp += ok
        optional = [(norm(s), _numbers_in(s)) for s in g.get("optional", [])]
        for i, pf in enumerate(facts):
            if used[i]:
                continue
            ev, v = norm(pf.get("evidence")), pf.get("value")
            v0 = v[0] if isinstance(v, list) and v else v
            if any(o in ev and any(same_value("count", v0, x) for x in nums) for o, nums in optional):
                continue
            fp += 1
            errors.append(f"{art}: spurious {pf.get('kind')} {pf.get('value')} in «{str(pf.get('evidence'))[:120]}»")
        gofs = {norm(o["name"]): o for o in g.get("officials", [])}
        pofs: dict[str, dict] = {}
        for r in recs:
            if r.get("type") == "official":
                pofs.setdefault(norm(r.get("name")), r)
        for k, go in gofs.items():
            gt = {norm_title(t, provinces) for t in go.get("titles", [])}
            if k not in pofs:
                o_fn += 1
                t_fn += len(gt)
                errors.append(f"{art}: missed official {go['name']}")
                continue
            o_tp += 1
            pt = {norm_title(t, provinces) for t in pofs[k].get("titles") or []}
            t_tp, t_fn, t_fp = t_tp + len(gt & pt), t_fn + len(gt - pt), t_fp + len(pt - gt)
            errors += [f"{art}: {go['name']}: missed title ~{t}" for t in gt - pt]
            errors += [f"{art}: {go['name']}: spurious title ~{t}" for t in pt - gt]
            rank_n += 1
            if norm(pofs[k].get("rank")) == norm(go.get("rank")):
                rank_hit += 1
            else:
                errors.append(f"{art}: {go['name']}: rank {pofs[k].get('rank')!r}, gold {go.get('rank')!r}")
        for k, po in pofs.items():
            if k not in gofs:
                o_fp += 1
                t_fp += len(po.get("titles") or [])
                errors.append(f"{art}: spurious official {po.get('name')}")
        arts = [r for r in recs if r.get("type") == "article"]
        pp = (arts[0].get("province") or {}) if arts else {}
        for lvl in prov:
            if norm_province(pp.get(lvl)) == norm_province(g["province"][lvl]):
                prov[lvl] += 1
            else:
                errors.append(f"{art}: province.{lvl} is {pp.get(lvl)!r}, gold {g['province'][lvl]!r}")
    n = len(gold)
    facts_prf = _prf(tp, fp, fn)
    facts_prf["strict_f1"] = _prf(strict_tp, fp + tp - strict_tp, fn + tp - strict_tp)["f1"]
    return {
        "articles": n,
        "facts": facts_prf,
        "attributes": {a: round(attr_hit[a] / attr_n[a], 4) for a in FACT_ATTRS if attr_n[a]},
        "officials": _prf(o_tp, o_fp, o_fn),
        "titles": _prf(t_tp, t_fp, t_fn),
        "rank_accuracy": round(rank_hit / rank_n, 4) if rank_n else None,
        "province_accuracy": {k: round(v / n, 4) for k, v in prov.items()} if n else {},
    }


def format_report(res: dict) -> str:
    f, o, t = res["facts"], res["officials"], res["titles"]
    return "\n".join([
        f"articles {res['articles']}",
        f"facts     P {f['p']:.3f} R {f['r']:.3f} F1 {f['f1']:.3f} strict-F1 {f['strict_f1']:.3f}  "
        f"(tp {f['tp']} fp {f['fp']} fn {f['fn']})",
        "attributes " + "  ".join(f"{k} {v:.3f}" for k, v in res["attributes"].items()),
        f"officials P {o['p']:.3f} R {o['r']:.3f} F1 {o['f1']:.3f}   titles F1 {t['f1']:.3f}   "
        f"rank acc {res['rank_accuracy']}",
        "province  " + "  ".join(f"{k} {v:.3f}" for k, v in res["province_accuracy"].items()),
    ])


def known_sets(corpus: Path, shared: Path) -> list[tuple[str, list[Path], Path]]:
    """The gold sets ``vnfacts eval`` reports by default: the bundled seeds, then the shared dev (2017
    general news) and dev06 (2022–2025 Đề án 06 reports) when they are beside the checkout."""
    sets = [("seeds", [corpus / "seeds"], corpus / "gold")]
    for name in ("dev", "dev06"):
        if (shared / name / "gold").is_dir():
            sets.append((name, [shared / name / "texts"], shared / name / "gold"))
    return sets


def evaluate_set(paths: list[Path], gold: Path, errors: list[str], on_error=None) -> dict:
    """Extract every article of ``paths`` through the one door and score it against ``gold``."""
    from pipeline.fetch import list_files
    from pipeline.process import process_file

    records: list[dict] = []
    for path in list_files(paths):
        file_records = process_file(path)
        if file_records[0]["type"] == "error" and on_error:
            on_error(path, file_records[0]["error"])
        records += file_records
    return score(load_gold(gold), records, errors)
