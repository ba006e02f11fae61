"""Quiz and exam banks for trainers, generated from the rules and checked by the engine.

Question types:
- single   单选: which finding is a 重大事故隐患 under this standard / which clause applies;
- multiple 多选: which findings are 重大事故隐患;
- judge    判断: "this finding is a 重大事故隐患" — true for a rule's major example,
           false for its near miss;
- fill     填空: a number or key term of the clause, blanked;
- case     案例分析: an inspector's finding: major or not, under which clause, what must be done.

Correctness is checked, not hoped for: every finding a question uses is
classified by the engine under the asked standard; a keyed "major" option
must come out major with its rule, a distractor must not come out major
under that standard — otherwise it is dropped and another is drawn. The same
seed gives the same bank; stems are never repeated; asking for more
questions than the standard can honestly give is an error that says so.
"""
from __future__ import annotations

import random
import re

from .context import InputError, parse_date

TYPES = ("single", "multiple", "judge", "fill", "case")
TYPE_LABELS = {"single": "单选题", "multiple": "多选题", "judge": "判断题", "fill": "填空题", "case": "案例分析题"}
DIFFICULTIES = ("easy", "medium", "hard")
DIFF_LABELS = {"easy": "易", "medium": "中", "hard": "难"}
LETTERS = "ABCDEF"
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _text(ex) -> str:
    return ex if isinstance(ex, str) else ex["text"]


def _ctx(ex) -> dict:
    return {} if isinstance(ex, str) else {k: ex[k] for k in ("industry", "site_type") if k in ex}


class QuizBuilder:
    def __init__(self, classifier, standard: str, industry=None, as_of=None, seed: int = 0):
        kb = classifier.kb
        if standard not in kb.standards:
            raise InputError(f"没有标准 {standard}；可选：{'、'.join(kb.standards)}")
        self.clf, self.kb, self.key = classifier, kb, standard
        self.day = parse_date(as_of)
        ed = kb.standards[standard].edition_on(self.day)
        if ed is None:
            raise InputError(f"《{kb.standards[standard].title}》在 {self.day.isoformat()} 没有有效版本")
        self.edition = ed
        self.industry = classifier.resolver.industry(industry)
        inds = (self.industry,) if self.industry else ()
        allowed = classifier.allowed_rules(self.day, inds, None)
        self.rules = sorted((kb.rules[r] for r in allowed if kb.rules[r].key == standard),
                            key=lambda r: tuple(int(x) for x in r.clause.split(".")))
        if not self.rules:
            raise InputError(f"《{ed.title}》（{ed.version}版）在所选行业没有已收录的条款，无法出题")
        self.rng = random.Random(seed)
        self._verdicts: dict = {}

    # -- the engine's word on a finding --------------------------------------
    def verdict(self, text: str, ctx: dict) -> tuple[str, str | None]:
        """(level under this standard, top rule id of this standard or None)."""
        k = (text, tuple(sorted(ctx.items())))
        if k not in self._verdicts:
            j = self.clf.classify(text, industry=ctx.get("industry") or self.industry,
                                  site_type=ctx.get("site_type"), as_of=self.day.isoformat())
            mine = [m for m in j["matches"] if m["status"] == "met" and m["standard"]["key"] == self.key]
            self._verdicts[k] = ("major" if mine else "not_major", mine[0]["rule_id"] if mine else None)
        return self._verdicts[k]

    def majors(self, rule):
        """Major examples of a rule that the engine confirms as this rule."""
        out = []
        for ex in rule.examples.get("major", []):
            level, rid = self.verdict(_text(ex), _ctx(ex))
            if level == "major" and rid == rule.id:
                out.append(ex)
        return out

    def near_misses(self, rule):
        out = []
        for ex in rule.examples.get("not_major", []):
            if self.verdict(_text(ex), _ctx(ex))[0] == "not_major":
                out.append(ex)
        return out

    # -- explanations -------------------------------------------------------
    def cite(self, rule) -> str:
        return f"《{self.edition.title}》（{self.edition.doc_number}）{rule.clause_label}"

    def explanation(self, rule, extra: str = "") -> str:
        lead = rule.lead_in or ""
        return f"{extra}依据{self.cite(rule)}：{lead}{rule.text}"

    @staticmethod
    def _scenario(ex) -> str:
        t = _text(ex)
        ind = _ctx(ex).get("industry")
        return f"某{ind}企业检查发现：{t}" if ind else f"检查发现：{t}"

    # -- generators: each returns a question dict or None --------------------
    def judge(self, rule, difficulty):
        if difficulty == "hard":
            pool = self.near_misses(rule)
            if not pool:
                return None
            ex = self.rng.choice(pool)
            return self._q("judge", f"{self._scenario(ex)}。按{self.cite(rule)}，该情形应判定为重大事故隐患。",
                           ["正确", "错误"], "错误",
                           self.explanation(rule, "错误。该情形不满足本项全部条件，不构成本项规定的重大事故隐患。"),
                           rule, difficulty)
        pool = self.majors(rule)
        if not pool:
            return None
        ex = self.rng.choice(pool)
        return self._q("judge", f"{self._scenario(ex)}。该情形应判定为重大事故隐患。", ["正确", "错误"], "正确",
                       self.explanation(rule, "正确。"), rule, difficulty)

    def _distractors(self, n, exclude_rule):
        pool = []
        for r in self.rules:
            for ex in self.near_misses(r):
                pool.append(ex)
        self.rng.shuffle(pool)
        seen, out = set(), []
        for ex in pool:
            t = _text(ex)
            if t not in seen and self.verdict(t, _ctx(ex))[0] == "not_major":
                seen.add(t)
                out.append(t)
            if len(out) == n:
                break
        return out if len(out) == n else None

    def single(self, rule, difficulty):
        majors = self.majors(rule)
        if not majors:
            return None
        ex = self.rng.choice(majors)
        if difficulty == "hard":  # which clause applies
            others = [r for r in self.rules if r.id != rule.id]
            if len(others) < 3:
                return None
            opts = [rule.clause_label + "：" + rule.title] + [r.clause_label + "：" + r.title
                                                            for r in self.rng.sample(others, 3)]
            self.rng.shuffle(opts)
            ans = LETTERS[opts.index(rule.clause_label + "：" + rule.title)]
            return self._q("single", f"{self._scenario(ex)}。该重大事故隐患应依据《{self.edition.title}》哪一项判定？（ ）",
                           opts, ans, self.explanation(rule), rule, difficulty)
        wrong = self._distractors(3, rule)
        if not wrong:
            return None
        opts = [_text(ex)] + wrong
        self.rng.shuffle(opts)
        ans = LETTERS[opts.index(_text(ex))]
        return self._q("single", f"按《{self.edition.title}》，下列情形应判定为重大事故隐患的是（ ）。",
                       opts, ans, self.explanation(rule, f"{ans}项正确。"), rule, difficulty)

    def multiple(self, rule, difficulty):
        mine = self.majors(rule)
        if not mine:
            return None
        others = [r for r in self.rules if r.id != rule.id]
        self.rng.shuffle(others)
        right = [(_text(self.rng.choice(mine)), rule)]
        for r in others:
            if len(right) == 3:
                break
            ms = self.majors(r)
            if ms:
                right.append((_text(self.rng.choice(ms)), r))
        if len(right) < 2:
            return None
        wrong = self._distractors(5 - len(right) if len(right) == 3 else 2, rule)
        if not wrong:
            return None
        opts = [t for t, _ in right] + wrong
        self.rng.shuffle(opts)
        ans = "".join(sorted(LETTERS[opts.index(t)] for t, _ in right))
        expl = "；".join(f"{LETTERS[opts.index(t)]}项依据{self.cite(r)}" for t, r in right)
        return self._q("multiple", f"按《{self.edition.title}》，下列情形中应判定为重大事故隐患的有（ ）。",
                       opts, ans, f"{expl}。其余选项不满足相应条款的全部条件。" + self.explanation(rule, " "),
                       rule, difficulty)

    def fill(self, rule, difficulty):
        text = rule.text
        nums = list(_NUMBER.finditer(text))
        if nums:
            m = self.rng.choice(nums)
            blank, ans = text[:m.start()] + "____" + text[m.end():], m.group(0)
        else:
            terms = set()
            for g in rule.groups.values():
                for cid in g.concepts:
                    c = self.kb.lexicon.concepts.get(cid)
                    if c is None or c.generic:
                        continue
                    for t in [c.id, *c.terms]:
                        if len(t) >= 2 and t in text:
                            terms.add(t)
            if not terms:
                return None
            t = self.rng.choice(sorted(terms, key=lambda x: (-len(x), x))[:4])
            i = text.index(t)
            blank, ans = text[:i] + "____" + text[i + len(t):], t
        return self._q("fill", f"按{self.cite(rule)}，{blank}", [], ans, self.explanation(rule),
                       rule, "medium" if nums else difficulty)

    def case(self, rule, difficulty):
        majors = self.majors(rule)
        if not majors:
            return None
        ex = self.rng.choice(majors)
        answer = (f"构成重大事故隐患。依据{self.cite(rule)}：{rule.text} 应采取的措施：" +
                  "；".join(rule.actions) + "；并由主要负责人组织制定治理方案（五落实），按规定报告，治理后评估销号。")
        return self._q("case", f"案例：{self._scenario(ex)}。请分析：该情形是否构成重大事故隐患？依据哪一条？应当如何处理？",
                       [], answer, self.explanation(rule), rule, "hard")

    def _q(self, qtype, stem, options, answer, explanation, rule, difficulty):
        return {"type": qtype, "type_label": TYPE_LABELS[qtype], "stem": stem, "options": options,
                "answer": answer, "explanation": explanation, "rule_id": rule.id,
                "clause_label": rule.clause_label, "topic": rule.title, "difficulty": difficulty,
                "verification": rule.status}

    DIFFICULTY_OF = {"judge": ("easy", "hard"), "single": ("medium", "hard"), "multiple": ("medium",),
                     "fill": ("medium", "easy"), "case": ("hard",)}

    def build(self, count: int, types=TYPES, difficulty: str | None = None) -> list[dict]:
        if count < 1:
            raise InputError("题目数量至少为 1")
        for t in types:
            if t not in TYPES:
                raise InputError(f"不认识的题型 {t}；可选：{','.join(TYPES)}")
        if difficulty and difficulty not in DIFFICULTIES:
            raise InputError(f"难度只能是 {'/'.join(DIFFICULTIES)}")
        plans = []  # every (type, rule, difficulty) this standard can give
        for t in types:
            for d in self.DIFFICULTY_OF[t]:
                if difficulty and d != difficulty and not (t == "fill" and difficulty in ("easy", "medium")):
                    continue
                for r in self.rules:
                    plans.append((t, r, d))
        self.rng.shuffle(plans)
        # round-robin over types so a bank mixes them
        by_type = {t: [p for p in plans if p[0] == t] for t in types}
        order = []
        while any(by_type.values()):
            for t in types:
                if by_type[t]:
                    order.append(by_type[t].pop())
        out, stems = [], set()
        for t, r, d in order:
            q = getattr(self, t)(r, d)
            if q is None or q["stem"] in stems:
                continue
            if difficulty and q["difficulty"] != difficulty:
                continue
            stems.add(q["stem"])
            out.append(q)
            if len(out) == count:
                return out
        raise InputError(f"《{self.edition.title}》在所选题型和难度下最多能出 {len(out)} 道互不重复、经判定引擎核对的题目，"
                         f"少于要求的 {count} 道；请减少数量或放宽题型、难度")


def build_quiz(classifier, standard, count=20, types=TYPES, difficulty=None, seed=0, industry=None, as_of=None):
    b = QuizBuilder(classifier, standard, industry=industry, as_of=as_of, seed=seed)
    qs = b.build(count, types=tuple(types), difficulty=difficulty)
    return {"standard": {**b.edition.summary(), "title": b.edition.title}, "seed": seed, "count": len(qs),
            "questions": qs, "kb_version": classifier.kb.version}
