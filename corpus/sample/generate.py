#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""Generator for the minyi bundled sample corpus (corpus/sample/records.jsonl).

Usage (from the repository root):

    python3 corpus/sample/generate.py > corpus/sample/records.jsonl

The output is deterministic (fixed seed, no set iteration, no clock).  Besides
the JSON Lines on stdout, the script writes the ground truth of the recurring
issues (issue key -> label + record ids) to ``issues.json`` next to itself;
pass ``--issues PATH`` to write it elsewhere or ``--no-issues`` to skip it.
``--stats`` prints a short summary to stderr.

Everything here is invented: the city is never named ("本市"), all places,
estates, schools, companies and people are fictional, submitter ids are opaque,
and masked phone numbers are random.  All Chinese text is hand-written for
this corpus (templates + many hand-written variants); nothing is copied from
third-party data.

Standard library only.
"""

import argparse
import datetime as dt
import json
import os
import sys
import random

SEED = 20250718

START = dt.datetime(2024, 1, 1, 0, 0, 0)
END = dt.datetime(2025, 12, 31, 23, 59, 59)
# "Today" for the purpose of deciding whether a case is closed yet.
REF = dt.datetime(2025, 12, 31, 23, 59, 59)

KIND_PREFIX = {
    "意见建议": "YJ",
    "信访": "XF",
    "代表建议": "DB",
    "12345热线": "RX",
    # 其他: "GC" for observation-point / liaison-station reports, "QT" otherwise.
}

REGIONS = ["青山区", "江南区", "城北区", "高新区", "临河县", "东湖区"]

SITES = {
    "青山区": ["青山区湖光街道基层立法联系点", "青山区幸福里社区代表联络站"],
    "江南区": ["江南区滨江街道基层立法联系点", "江南区锦绣社区代表联络站"],
    "城北区": ["城北区北站街道人大代表联络站", "城北区柳湾立法观察点"],
    "高新区": ["高新区科创园区基层立法联系点"],
    "临河县": ["临河县双桥镇人大代表联络站"],
    "东湖区": ["东湖区湖滨街道基层立法联系点", "东湖区东湖立法观察点"],
}

# Generic pieces used when composing a message from an issue's core sentences.
OPENERS = [
    "我是{p}的居民，", "我家住在{p}，", "你好，我想反映一下{p}这边的情况：",
    "反映个问题：", "", "", "本人居住在{p}，", "领导您好！我住{p}，", "您好，",
    "我是附近的住户，", "又来反映了，", "我住{p}好多年了，", "您好，我是{p}的，",
    "想问一下有没有人管：", "说个事，",
]
CLOSERS = [
    "", "", "", "谢谢！", "谢谢。", "麻烦了。", "盼复。", "希望尽快解决！", "拜托了！",
    "辛苦了。", "请尽快给个答复。", "万分感谢。", "希望能引起重视。",
]

GENERIC_REPLIES = {
    "complaint": [
        "您好，您反映的问题已收悉。经{dept}现场核查，情况基本属实，已督促相关责任单位限期整改。如问题仍未解决，可再次拨打12345热线反映。感谢您的监督。",
        "您好，来信收悉。您反映的事项已转{dept}办理。经核实，相关问题已于近日处理完毕，工作人员已电话告知处理结果。感谢您对我们工作的支持。",
        "您好，您反映的情况已收悉。{dept}已安排工作人员实地查看，并约谈相关责任单位，要求其落实整改措施。我们将持续跟踪，防止问题反弹。",
    ],
    "consult": [
        "您好，您咨询的问题已转{dept}答复，工作人员已电话联系您进行政策解释，您表示理解。如仍有疑问，可拨打12345热线转接相关部门。",
        "您好，关于您咨询的事项，{dept}已作出解答：具体办理条件和所需材料可登录政务服务网查询，也可到所在街道（乡镇）便民服务中心现场咨询。",
    ],
    "suggestion": [
        "您好，您的建议已收悉。{dept}认真研究后认为，您的建议具有较强的针对性，将在下一步工作中统筹考虑。感谢您对我们工作的关心和支持。",
        "您好，感谢您提出的宝贵建议。经{dept}研究，相关事项已纳入年度工作计划，将结合财力和实际情况逐步推进。",
        "您好，您提出的建议已转{dept}研究办理。该部门表示将组织调研论证，适时出台相关措施。感谢您的关注。",
    ],
    "deputy": [
        "代表您好，您提出的建议收悉。{dept}高度重视，经认真研究，现答复如下：该建议所涉事项已列入年度重点工作，已成立专项工作组推进落实，将定期向代表通报进展。感谢您对我们工作的关心和支持。",
        "代表您好，您提出的建议已交{dept}办理。经调研，相关问题确实存在，我们已会同有关单位制定整改方案，部分措施已落实到位，其余事项将于年内完成。",
    ],
    "thanks": [
        "您好，感谢您的来信和肯定，我们已将您的表扬转达相关单位和工作人员。我们将继续努力，为群众提供更好的服务。",
    ],
}

INTERIM_REPLY = "您好，您反映的问题已受理并转{dept}办理，办理结果将及时反馈，请耐心等待。"

FULLWIDTH = {c: c + 0xFEE0 for c in range(0x21, 0x7F) if chr(c).isalnum()}


def fitting(replies, content):
    """Replies are strings, or (string, keywords) used only when a keyword is in the content."""
    plain = [x for x in replies if isinstance(x, str)]
    keyed = [x[0] for x in replies if not isinstance(x, str) and any(k in content for k in x[1])]
    return keyed + plain if keyed else plain


def day(s):
    return dt.datetime.strptime(s, "%Y-%m-%d")


class Gen:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.records = []
        self.user_ids = set()
        self.user_pool = []
        self.contents = set()
        self.deputies = [self.new_user(pool=False) for _ in range(9)]
        self.observers = [self.new_user(pool=False) for _ in range(4)]
        self.dup_groups = []

    # ---------------------------------------------------------------- people
    def new_user(self, pool=True):
        while True:
            uid = "U%06d" % self.rng.randint(1000, 499999)
            if uid not in self.user_ids:
                self.user_ids.add(uid)
                if pool:
                    self.user_pool.append(uid)
                return uid

    def some_user(self, reuse=0.12):
        if self.user_pool and self.rng.random() < reuse:
            return self.rng.choice(self.user_pool)
        return self.new_user()

    def phone(self):
        r = self.rng
        return "1%d%d****%04d" % (r.choice([3, 5, 7, 8, 9]), r.randint(0, 9), r.randint(0, 9999))

    # ----------------------------------------------------------------- dates
    def pick_date(self, start, end, months=None):
        span = int((end - start).total_seconds())
        for _ in range(1000):
            t = start + dt.timedelta(seconds=self.rng.randrange(span))
            if months is None or t.month in months:
                return t
        raise RuntimeError("no date in window")

    def stamp(self, t, kind, channel):
        """Sets a plausible time of day; returns (datetime, date_only)."""
        r = self.rng
        if channel == "信件" or (kind == "代表建议" and r.random() < 0.5):
            return t.replace(hour=0, minute=0, second=0), True
        if channel in ("来访", "联络站", "线下"):
            h = r.randint(9, 16)
        elif kind == "12345热线":
            h = r.choice([7, 8, 9, 9, 10, 10, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23])
        else:
            h = r.choice([0, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 19, 20, 21, 21, 22, 22, 23])
        return t.replace(hour=h, minute=r.randrange(60), second=r.randrange(60)), False

    # -------------------------------------------------------------- channels
    def channel_for(self, kind):
        r = self.rng
        if kind == "12345热线":
            return r.choice(["热线"] * 17 + ["小程序", "小程序", "线上"])
        if kind == "意见建议":
            return r.choice(["线上"] * 8 + ["小程序"] * 5 + ["联络站"] * 4 + ["线下"] * 2 + ["信件"])
        if kind == "信访":
            return r.choice(["来访"] * 7 + ["信件"] * 7 + ["线上"] * 6)
        if kind == "代表建议":
            return r.choice(["联络站"] * 3 + ["线下"] * 2)
        return r.choice(["联络站", "线下", "信件", "线上"])

    def site_for(self, region, channel, kind):
        r = self.rng
        sites = SITES[region]
        if kind == "代表建议" or channel == "联络站":
            return r.choice(sites)
        if channel == "线下" and r.random() < 0.6:
            return r.choice(sites)
        if kind == "意见建议" and channel in ("线上", "小程序") and r.random() < 0.3:
            return r.choice(sites)
        return None

    # --------------------------------------------------------------- status
    def status_for(self, t, kind, law=False):
        r = self.rng.random()
        if law:
            return "已办结" if r < 0.45 else "已受理"
        days = (REF - t).days
        if days > 90:
            table = [("已办结", 0.88), ("办理中", 0.08), ("已受理", 0.04)]
        elif days > 45:
            table = [("已办结", 0.55), ("办理中", 0.30), ("已受理", 0.15)]
        else:
            table = [("已办结", 0.2), ("办理中", 0.25), ("已受理", 0.25), ("待受理", 0.3)]
        acc = 0.0
        for s, p in table:
            acc += p
            if r < acc:
                return s
        return table[-1][0]

    def likes_for(self, kind, channel):
        r = self.rng
        if kind == "意见建议" and channel in ("线上", "小程序"):
            if r.random() < 0.45:
                return 0
            return min(300, int(r.expovariate(1 / 22.0)) + 1)
        if kind == "12345热线" or kind == "信访":
            return 0
        return 0 if r.random() < 0.85 else r.randint(1, 12)

    # ---------------------------------------------------------------- noise
    def noisy(self, text):
        """Realistic clutter from web forms and office exports."""
        r = self.rng
        modes = ["ws", "lead", "punct", "nl", "tab"]
        if any(c.isascii() and c.isalnum() for c in text):
            modes += ["fw"] * 6
        mode = r.choice(modes)
        if mode == "fw":
            return text.translate(FULLWIDTH)
        if mode == "lead":
            return "\n\t\t\t\t\t\n\t\t\t\t\t" + text + "\n\t\t\t\t\t\n\t\t\t\t"
        if mode == "ws":
            return text.replace("，", "，  ", 2).replace("。", "。 ", 1)
        if mode == "punct":
            return text.replace("，", ",").replace("！", "!").replace("？", "?").replace("：", ":")
        if mode == "nl":
            return text.replace("。", "。\n", 2).rstrip("\n")
        return "\t" + text.replace("，", "，\t", 1) + "  "

    # ---------------------------------------------------------------- record
    def add(self, *, kind, content, title, region, category, t, channel=None,
            site="auto", law=None, article=None, submitter=None, dept=None,
            replies=None, reply_ctx=None, issue=None, prefix=None,
            likes=None, status=None, noise_ok=True):
        r = self.rng
        if content in self.contents:
            raise RuntimeError("duplicate content: " + content[:40])
        self.contents.add(content)
        channel = channel or self.channel_for(kind)
        if site == "auto":
            site = self.site_for(region, channel, kind)
        t, date_only = self.stamp(t, kind, channel)
        status = status or self.status_for(t, kind, law is not None)
        submitter = submitter or (r.choice(self.deputies) if kind == "代表建议" else self.some_user())
        if likes is None:
            likes = self.likes_for(kind, channel)
        want_dept = {"12345热线": 0.93, "信访": 0.9, "代表建议": 0.75, "意见建议": 0.3}.get(kind, 0.2)
        department = dept if (dept and r.random() < want_dept) else None
        ctx = dict(reply_ctx or {})
        ctx.setdefault("dept", dept or "相关部门")
        reply = None
        if replies:
            if status == "已办结" and r.random() < 0.55:
                reply = r.choice(fitting(replies, content)).format(**ctx)
            elif status == "办理中" and dept and r.random() < 0.12:
                reply = INTERIM_REPLY.format(**ctx)
        if noise_ok and r.random() < 0.08:
            content = self.noisy(content)
            if r.random() < 0.3:
                title = title.translate(FULLWIDTH) if any(c.isascii() and c.isalnum() for c in title) else " " + title + " "
        rec = {
            "title": title, "content": content, "kind": kind, "channel": channel,
            "site": site, "region": region,
            "submitted_at": t.strftime("%Y-%m-%d") if date_only else t.strftime("%Y-%m-%d %H:%M:%S"),
            "law": law, "article": article, "category": category, "status": status,
            "submitter": submitter, "likes": likes, "reply": reply,
            "handling_department": department,
        }
        if kind == "12345热线" and r.random() < 0.35:
            rec["phone_masked"] = self.phone()
        rec["_t"] = t
        rec["_issue"] = issue
        rec["_prefix"] = prefix or KIND_PREFIX.get(kind, "QT")
        rec["_seq"] = len(self.records)
        self.records.append(rec)
        return rec

    # ------------------------------------------------------------ composing
    def compose(self, parts, openers=None):
        r = self.rng
        for _ in range(500):
            op = r.choice(openers or OPENERS)
            if "{p}" in op:
                op = op.format(p=r.choice(parts["places"]))
            k = r.choice([1, 2, 2, 2, 3])
            cores = r.sample(parts["cores"], min(k, len(parts["cores"])))
            body = "，".join(cores) + r.choice(["。", "。", "！", "。"])
            dem = r.choice(parts["demands"]) if r.random() < 0.85 else ""
            text = op + body + dem + r.choice(CLOSERS)
            anchors = parts.get("anchors")
            if anchors and not any(a in text for a in anchors):
                continue
            if 30 <= len(text) <= 400 and text not in self.contents:
                return text
        raise RuntimeError("cannot compose a new text for " + parts.get("key", "?"))

    # --------------------------------------------------------------- issues
    def build_issue(self, iss):
        r = self.rng
        if "schedule" in iss:
            return self.build_surge(iss)
        start, end = day(iss["window"][0]), day(iss["window"][1])
        months = iss.get("months")
        texts = list(iss["texts"])
        r.shuffle(texts)
        formal = list(iss.get("formal", []))
        gc = list(iss.get("gc", []))
        slots = []
        for kind, n in iss["plan"]:
            slots += [kind] * n
        r.shuffle(slots)
        for kind in slots:
            t = self.pick_date(start, end, months)
            region = iss["region"]
            category = iss["category"]
            if iss.get("alt_category") and r.random() < 0.15:
                category = iss["alt_category"]
            dept = r.choice(iss["depts"])
            if kind == "代表建议":
                title, content = formal.pop()
                self.add(kind=kind, content=content, title=title, region=region,
                         category=category, t=t, dept=dept, issue=iss["key"],
                         replies=GENERIC_REPLIES["deputy"] + iss["replies"][:1])
                continue
            if kind == "其他":
                title, content, site = gc.pop()
                self.add(kind=kind, content=content, title=title, region=region,
                         category=category, t=t, dept=dept, issue=iss["key"],
                         site=site, channel="联络站", prefix="GC",
                         submitter=r.choice(self.observers))
                continue
            content = texts.pop() if texts else self.compose(iss)
            self.add(kind=kind, content=content, title=r.choice(iss["titles"]),
                     region=region, category=category, t=t, dept=dept,
                     issue=iss["key"], replies=iss["replies"])
        for grp in iss.get("dups", []):
            self.build_dup_group(grp, iss["region"], iss["category"], iss["depts"],
                                 iss["replies"], iss["key"], start, end, months)

    def build_dup_group(self, grp, region, category, depts, replies, key, start, end, months=None):
        """Near-duplicates: one person re-submitting, or a copy-pasted campaign letter."""
        r = self.rng
        lo, hi = grp["gap"]
        latest = end - dt.timedelta(days=hi * (len(grp["items"]) - 1) + 1)
        t = self.pick_date(start, max(latest, start + dt.timedelta(days=1)), months)
        user = self.new_user() if grp["same_user"] else None
        dept = r.choice(depts)
        ids = []
        for kind, text in grp["items"]:
            rec = self.add(kind=kind, content=text, title=grp["title"], region=region,
                           category=category, t=t, dept=dept, issue=key,
                           submitter=user or self.new_user(), replies=replies,
                           noise_ok=False)
            ids.append(rec["_seq"])
            t = t + dt.timedelta(days=r.randint(lo, hi), minutes=r.randint(0, 600))
        self.dup_groups.append((grp["note"], ids))

    def build_surge(self, iss):
        r = self.rng
        pools = {"2024": list(iss["texts_2024"]), "2025": list(iss["texts_2025"])}
        r.shuffle(pools["2024"])
        r.shuffle(pools["2025"])
        for ym, kind in iss["schedule"]:
            y, m = int(ym[:4]), int(ym[5:7])
            if ym == iss["spike_month"]:
                dday = min(28, int(r.expovariate(1 / 7.0)) + 1)
            else:
                dday = r.randint(1, 28)
            t = dt.datetime(y, m, dday)
            region = r.choice(REGIONS)
            dept = r.choice(iss["depts"])
            pool = pools[ym[:4]]
            if pool:
                content = pool.pop()
            else:
                content = self.compose(iss, openers=iss["openers"])
            self.add(kind=kind, content=content, title=r.choice(iss["titles"]),
                     region=region, category=iss["category"], t=t, dept=dept,
                     issue=iss["key"], replies=iss["replies"])

    # ----------------------------------------------------------------- laws
    def build_laws(self, laws):
        r = self.rng
        for law in laws:
            start, end = day(law["window"][0]), day(law["window"][1])
            short = law["law"].replace("某市", "").replace("（草案）", "")
            for art in law["articles"]:
                texts = list(art["opinions"])
                generic = r.choice(LAW_GENERIC).format(law="《" + law["law"] + "》",
                                                       article=art["article"], topic=art["topic"])
                texts.append(generic)
                for text in texts:
                    region = r.choice(REGIONS)
                    title = r.choice(LAW_TITLES).format(law=law["law"], short=short,
                                                         article=art["article"], topic=art["topic"])
                    ctx = {"law": law["law"], "article": art["article"], "topic": art["topic"]}
                    self.add(kind="意见建议", content=text, title=title, region=region,
                             category=art["category"], t=self.pick_date(start, end),
                             law=law["law"], article=art["article"],
                             replies=LAW_REPLIES, reply_ctx=ctx,
                             channel=r.choice(["线上"] * 5 + ["小程序"] * 3 + ["联络站"] * 4 + ["线下", "信件"]))
            for title, text, site, article in law["gc"]:
                region = next(k for k, v in SITES.items() if site in v)
                self.add(kind="其他", content=text, title=title, region=region,
                         category=law["category"], t=self.pick_date(start, end),
                         law=law["law"], article=article, site=site, channel="联络站",
                         prefix="GC", submitter=r.choice(self.observers), status="已办结",
                         replies=None)

    # -------------------------------------------------------------- one-offs
    def build_oneoffs(self, items):
        r = self.rng
        kinds = {"RX": "12345热线", "YJ": "意见建议", "XF": "信访", "DB": "代表建议",
                 "QT": "其他", "GC": "其他"}
        for code, region, category, title, content, dept in items:
            kind = kinds[code]
            if code == "DB":
                rep = GENERIC_REPLIES["deputy"]
            elif code in ("QT", "GC"):
                rep = GENERIC_REPLIES["thanks"] if "感谢" in title or "表扬" in title else None
            elif "咨询" in title or "？" in content[-12:]:
                rep = GENERIC_REPLIES["consult"]
            elif code == "YJ" or "建议" in title:
                rep = GENERIC_REPLIES["suggestion"]
            else:
                rep = GENERIC_REPLIES["complaint"]
            self.add(kind=kind, content=content, title=title, region=region,
                     category=category, t=self.pick_date(START, END), dept=dept,
                     replies=rep, prefix="GC" if code == "GC" else None,
                     submitter=r.choice(self.observers) if code == "GC" else None,
                     site=r.choice(SITES[region]) if code == "GC" else "auto",
                     channel="联络站" if code == "GC" else None)

    def build_combos(self, combos):
        r = self.rng
        for c in combos:
            texts = list(c["texts"])
            r.shuffle(texts)
            for i, (region, place) in enumerate(c["places"]):
                content = texts[i % len(texts)].format(place=place)
                if i >= len(texts):
                    content = content + r.choice(c["extra"])
                kind = r.choice(["12345热线"] * 6 + ["意见建议"] * 3 + ["信访"])
                dept = c["dept"].format(region=region)
                self.add(kind=kind, content=content,
                         title=r.choice(c["titles"]).format(place=place),
                         region=region, category=c["category"], t=self.pick_date(START, END),
                         dept=dept, replies=[c["reply"]])

    # --------------------------------------------------------------- output
    def finalize(self):
        recs = sorted(self.records, key=lambda x: (x["_t"], x["_seq"]))
        counters = {}
        by_seq = {}
        for rec in recs:
            key = (rec["_prefix"], rec["_t"].year)
            counters[key] = counters.get(key, 0) + 1
            rec["id"] = "%s-%d-%04d" % (rec["_prefix"], rec["_t"].year, counters[key])
            by_seq[rec["_seq"]] = rec["id"]
        issues = {}
        for iss in ISSUES:
            ids = [rec["id"] for rec in recs if rec["_issue"] == iss["key"]]
            issues[iss["key"]] = {"label": iss["label"], "ids": ids}
        dups = [(note, [by_seq[s] for s in seqs]) for note, seqs in self.dup_groups]
        order = ["id", "title", "content", "kind", "channel", "site", "region",
                 "submitted_at", "law", "article", "category", "status", "submitter",
                 "likes", "reply", "handling_department", "phone_masked"]
        out = []
        for rec in recs:
            out.append({k: rec[k] for k in order if rec.get(k) is not None})
        return out, issues, dups

# =====================================================================
# Recurring issues.  Each is one concrete place + problem, told by many
# different people.  ``texts`` are hand-written whole messages; when a plan
# needs more, messages are composed from ``cores``/``demands`` (also
# hand-written) with a generic opener/closer.  ``dups`` are near-duplicate
# groups (re-submissions by one person, or campaign form letters).
# =====================================================================

ISSUES = [
    # ------------------------------------------------------------------ 1
    {
        "key": "qingshan-xingfuli-construction-noise",
        "anchors": ["幸福里", "锦程华府", "和顺路"],
        "label": "青山区幸福里小区东侧锦程华府工地夜间施工、渣土车噪音扰民",
        "region": "青山区", "category": "城乡建设", "alt_category": "环境保护",
        "depts": ["青山区城管局", "青山区住建局", "青山区生态环境分局"],
        "window": ("2024-03-10", "2024-11-30"),
        "plan": [("12345热线", 12), ("意见建议", 8), ("信访", 6), ("代表建议", 2), ("其他", 1)],
        "places": ["幸福里小区", "青山区幸福里", "幸福里小区东门附近", "和顺路幸福里"],
        "titles": [
            "幸福里小区旁工地夜间施工扰民", "投诉锦程华府工地半夜施工", "渣土车半夜轰隆隆，幸福里居民睡不着",
            "关于幸福里小区东侧工地噪音问题", "工地晚上十二点还在打桩", "请管管锦程华府项目夜间作业",
            "和顺路渣土车噪音扰民", "幸福里小区旁边工地太吵了", "反映青山区幸福里东侧工地夜间施工噪声",
        ],
        "texts": [
            "我住青山区幸福里小区7栋，东边锦程华府的工地这两个月天天晚上施工，打桩机一直响到凌晨一两点，窗户关上都没用。家里老人心脏不好，晚上根本睡不着。请问他们有没有夜间施工许可？有的话为什么能天天干到半夜？",
            "幸福里旁边的工地太吵了！！！晚上11点以后还在干活，渣土车进进出出，喇叭按得震天响。明天还要上班，求求管一管。",
            "每天晚上十点以后，和顺路上就开始过渣土车，一辆接一辆，车上的土还往下掉，第二天路上全是泥。车开得飞快，噪音大不说，我们小区门口就是斑马线，孩子过马路太危险了。",
            "本人系青山区幸福里小区业主，现就锦程华府项目工地夜间违规施工一事反映如下：该工地自三月中旬起，几乎每晚22时后仍进行混凝土浇筑和机械作业，噪声持续至次日凌晨。我已多次拨打12345，每次处理后只能安静两三天。恳请相关部门依法查处，并公开该工地夜间施工许可情况。",
            "孩子今年中考，每天晚上学习到十一点，旁边工地叮叮当当不停，根本没法集中精神。我们不是不让建，白天干不行吗？为什么非要晚上？幸福里小区的家长都很着急。",
            "投诉锦程华府工地，昨晚凌晨2点还在卸钢筋，哐当哐当的，整栋楼都被吵醒了，这是第几次了？？",
            "幸福里小区东门工地晚上施工噪音扰民，已经持续半年多了，投诉了好多次都没有用，城管来了就停，走了接着干。是不是罚款太轻了？",
            "我家住幸福里12栋，离工地不到五十米。夜里探照灯直接照进卧室，加上机器声，老婆已经神经衰弱了，去医院开了安眠药。希望领导来现场住一晚体验一下。",
            "渣土车晚上在和顺路和幸福路口掉头，司机狂按喇叭，还有急刹车的声音。麻烦交警和城管联合查一下，最好限制一下渣土车的通行时间。",
            "工地说是有夜间施工证，说是连续浇筑不能停。可是连续浇筑不可能天天都有吧？请住建部门核实一下锦程华府到底申请了哪几天。",
            "太吵了太吵了，幸福里这边晚上根本没法睡觉，旁边工地一直到半夜还在响，有没有人管！",
            "锦程华府工地每天晚上施工燥音很大，严重饶民，我们小区很多老人小孩，希望有关部门尽快处理，还我们一个安静的晚上。",
            "以前反映过一次，幸福里东边那个工地安静了一个礼拜，这几天又开始了，晚上十二点还在打桩。能不能给个准话，到底怎么处理？",
            "工地围挡外面的洒水车也是晚上十一点来，加上渣土车，和顺路晚上比白天还热闹。我们幸福里的业主花这么多钱买房，结果天天睡不好觉。",
            "幸福里小区的居民已经被这个工地折磨大半年了，昨天半夜一点多还在用振动棒，声音像电钻钻脑袋一样，你们到底管不管？？",
        ],
        "cores": [
            "幸福里小区东边的锦程华府工地晚上还在施工", "旁边工地打桩机半夜还在响",
            "渣土车晚上十点以后一趟一趟地从和顺路过", "工地的探照灯晚上直射居民楼",
            "凌晨还能听到混凝土泵车的声音", "渣土车掉下来的泥土把路面弄得很脏",
            "工地夜间施工的噪音已经持续好几个月了", "晚上卸钢筋的声音特别刺耳",
            "锦程华府工地几乎每天都干到后半夜", "投诉以后安静不了几天又开始了",
        ],
        "demands": [
            "请相关部门查一下这个工地有没有夜间施工许可。", "希望城管部门加强夜间巡查，依法处罚。",
            "建议限定渣土车通行时间，晚上十点以后禁止通行。", "请尽快处理，还居民一个安静的休息环境。",
            "希望能给我们一个明确的答复。", "恳请领导重视，不要再推来推去了。",
        ],
        "formal": [
            ("关于加强锦程华府项目工地夜间施工管理的建议",
             "青山区幸福里小区东侧锦程华府项目自2024年3月开工以来，夜间施工及渣土运输噪声问题突出，周边居民多次通过12345热线、代表联络站反映。建议：一是由区住建局严格审核夜间施工许可，公开许可时段；二是由区城管局牵头开展夜间联合执法，对超时作业依法处罚；三是合理规划渣土车运输路线，避开居民密集区域；四是督促建设单位设置隔音屏障，建立与小区业主的沟通机制。"),
            ("关于建立重点工地噪声在线监测制度的建议",
             "幸福里社区代表联络站接待选民时，多名居民反映锦程华府工地夜间施工扰民，投诉后反复出现。建议区政府在锦程华府等重点工地建立噪声在线监测制度，监测数据接入城管执法平台并向社会公开，夜间超标自动预警，切实维护周边群众的休息权。"),
        ],
        "gc": [
            ("幸福里社区代表联络站接待情况报告（工地噪声）",
             "本月幸福里社区代表联络站共接待群众二十一人次，其中十四人次反映锦程华府工地夜间施工和渣土车噪声问题，主要集中在7栋、12栋等临近工地的楼栋。群众诉求：公开夜间施工许可、限制渣土车通行时间、设置隔音屏障。已将相关意见转交区城管局、区住建局，并建议代表开展专题视察。",
             "青山区幸福里社区代表联络站"),
        ],
        "replies": [
            "您好，您反映的幸福里小区东侧工地夜间施工扰民问题已收悉。经{dept}现场核查，锦程华府项目仅办理了部分时段的夜间施工许可，存在超时作业情况。执法人员已责令施工单位立即整改，并依法立案调查。下一步将加强夜间巡查，如再发现违规施工，请及时拨打12345反映。感谢您的监督。",
            "您好，来信收悉。经核实，锦程华府项目施工单位在未取得夜间施工许可的情况下于夜间进行混凝土浇筑作业，{dept}已对其作出罚款处理，并约谈项目负责人。同时已协调交警部门，将渣土车通行时间调整为每日22时前。感谢您对我们工作的支持。",
            "您好，您反映的问题已转{dept}办理。经现场查看，锦程华府工地已增设隔音围挡，并将高噪声作业调整至白天进行。如仍有扰民情况，请及时与幸福里社区联系。",
        ],
        "dups": [
            {"note": "幸福里业主联名信（复制粘贴，改了楼栋号）", "same_user": False, "gap": (0, 2),
             "title": "幸福里小区业主强烈要求锦程华府工地停止夜间施工",
             "items": [
                 ("意见建议", "我是青山区幸福里小区3栋业主。锦程华府工地长期夜间施工，渣土车通宵运输，严重影响我们的正常休息。我们全体业主强烈要求：一、立即停止夜间施工；二、公开夜间施工许可；三、渣土车改道。请有关部门给幸福里小区一千二百多户居民一个交代！"),
                 ("意见建议", "我是青山区幸福里小区5栋业主。锦程华府工地长期夜间施工，渣土车通宵运输，严重影响我们的正常休息。我们全体业主强烈要求：一、立即停止夜间施工；二、公开夜间施工许可；三、渣土车改道。请有关部门给幸福里小区一千二百多户居民一个交代！"),
                 ("信访", "我是青山区幸福里小区9栋业主。锦程华府工地长期夜间施工，渣土车通宵运输，严重影响我们的正常休息，我家里还有刚出生的孩子。我们全体业主强烈要求：一、立即停止夜间施工；二、公开夜间施工许可；三、渣土车改道。请有关部门给幸福里小区一千二百多户居民一个交代！"),
                 ("意见建议", "我是青山区幸福里小区11栋业主。锦程华府工地长期夜间施工，渣土车通宵运输，严重影响我们的正常休息。我们全体业主强烈要求：一、立即停止夜间施工；二、公开夜间施工许可；三、渣土车改道。请有关部门给幸福里小区一千二百多户居民一个交代！！"),
                 ("信访", "我是青山区幸福里小区14栋业主。锦程华府工地长期夜间施工，渣土车通宵运输，严重影响我们的正常休息。我们全体业主强烈要求：一、立即停止夜间施工；二、公开夜间施工许可；三、渣土车改道。请有关部门给幸福里小区一千多户居民一个交代！"),
             ]},
        ],
    },
    # ------------------------------------------------------------------ 2
    {
        "key": "jiangnan-binjiang-park-square-dance",
        "anchors": ["滨江"],
        "label": "江南区滨江公园广场舞音响扰民",
        "region": "江南区", "category": "环境保护", "alt_category": "公共安全",
        "depts": ["江南区城管局", "江南区公安分局滨江派出所", "滨江公园管理处"],
        "window": ("2024-04-01", "2025-10-31"), "months": [4, 5, 6, 7, 8, 9, 10],
        "plan": [("12345热线", 13), ("意见建议", 12), ("信访", 4), ("代表建议", 1), ("其他", 1)],
        "places": ["滨江花园小区", "滨江路", "滨江公园附近", "江南区滨江花园"],
        "titles": [
            "滨江公园广场舞太吵了", "晚上跳舞音响声音太大影响孩子学习", "投诉滨江公园广场舞噪音",
            "滨江公园音响扰民问题", "广场舞扰民能不能管管", "滨江公园南广场晚上噪音",
            "建议规范滨江公园广场舞时间和音量", "滨江花园临江楼栋受广场舞噪音影响",
        ],
        "texts": [
            "广场舞太吵了！滨江公园每天晚上七点跳到十点，音响开到最大，我们住江边的根本没法休息。",
            "晚上跳舞的音响声音太大，影响孩子学习。我家就在滨江公园对面的滨江花园，孩子初三了，每天晚上写作业都被吵得戴耳塞。跳舞可以，音量能不能小一点？",
            "滨江公园南广场有好几支广场舞队伍，互相比谁的音响大，还有人拿麦克风唱歌，离着三四百米都听得很清楚。我们打过110，民警来了就关小，走了又开大。",
            "我也是退休的人，理解大家锻炼身体，但是滨江公园的广场舞真的太过分了，早上六点就开始放音乐，周末想睡个懒觉都不行。建议规定一下时间。",
            "每天晚上都是那几首歌循环播放，我都会背了。滨江公园管理处能不能出个规定，限制音响分贝？",
            "滨江公园跳舞的音响开太大声了 晚上十点多还不停 孩子被吵得哭 投诉好几次都没用",
            "建议在滨江公园设置噪声监测显示屏，超过分贝就提醒，另外把广场舞场地从南广场挪到靠江那一侧，离居民楼远一点。",
            "我们小区（滨江花园）靠近公园的这几栋楼都深受其害。夜班工人白天睡觉，晚上又被广场舞吵，整个人都快崩溃了。跟跳舞的阿姨沟通过，她们说公园是公共场所，我们管不着。请问真的没人管得了吗？",
            "滨江公园广场舞噪音扰民，请相关部门处理一下，已经影响很久了。",
            "能不能给滨江公园跳广场舞的发统一的蓝牙耳机？国外有这种静音舞会，大家戴耳机跳，既不影响锻炼又不扰民。",
            "我家住滨江路18号，每天晚上7点到9点半，楼下公园的音响震得玻璃都在响。老人有高血压，听着那个鼓点心慌。",
            "广场舞阿姨们音响越买越大，现在还有带低音炮的，滨江公园晚上简直是露天迪厅，希望城管和派出所管一管。",
            "说句公道话，公园本来就是给大家活动的地方，跳舞的人也不容易。但是滨江公园这边音量确实要控制，建议管理处划定时间段，九点以后一律停止。",
            "滨江公园晚上的音乐声太大了，吵得我家宝宝一直睡不着，哄到十点多，真的好崩溃。",
            "昨晚又是十点半才结束！滨江公园广场舞！不是说好九点半吗？？说话不算数的吗",
        ],
        "cores": [
            "滨江公园晚上跳广场舞的音响开得特别大", "南广场几支舞蹈队的音响互相较劲",
            "音乐从晚上七点一直放到十点多", "早上六点多公园里就开始放音乐",
            "低音炮震得家里窗户嗡嗡响", "孩子晚上写作业被吵得没法集中注意力",
            "跟跳舞的人沟通过，对方根本不理会", "报警以后只能安静一小会儿",
            "滨江公园的广场舞噪音已经持续两年了",
        ],
        "demands": [
            "希望公园管理处规定跳舞时间和音量。", "建议把跳舞场地挪到离居民楼远一点的地方。",
            "请城管和派出所加强晚间巡查。", "建议安装噪声监测设备，超标就提醒。",
            "希望相关部门拿出长效的办法，不要只是劝一劝。",
        ],
        "formal": [
            ("关于规范滨江公园广场健身活动噪声管理的建议",
             "滨江公园南广场每晚聚集多支广场舞队伍，音响音量过大、活动时间过长，周边滨江花园等小区居民反映强烈。建议江南区城管局会同公安分局、滨江公园管理处：一是划定广场舞活动区域和时段；二是在广场设置噪声实时监测显示屏；三是引导舞蹈队使用定向音响或无线耳机；四是发挥社区作用，组织舞蹈队与居民协商制定文明健身公约。"),
        ],
        "gc": [
            ("滨江街道基层立法联系点意见收集情况（广场舞噪声）",
             "近期滨江街道基层立法联系点在滨江花园小区开展走访，收集到关于滨江公园广场舞噪声的意见十余条。居民普遍反映音响音量大、结束时间晚，部分舞蹈队成员则希望保留活动场地。建议在文明行为促进条例中明确公共场所健身活动的时段和音量标准，并由公园管理单位设置噪声监测设施。",
             "江南区滨江街道基层立法联系点"),
        ],
        "replies": [
            "您好，您反映的滨江公园广场舞噪音问题已收悉。经协调，滨江公园管理处已与各舞蹈队负责人座谈，明确活动时间为19:00—21:00，音量不得超过规定限值，并在南广场安装噪声监测显示屏。{dept}将加强晚间巡查。感谢您的理解与支持。",
            "您好，针对您反映的问题，{dept}已于当晚到场处置，对音响音量进行了劝导调低。考虑到该问题反复出现，我们已会同社区和公园管理处研究制定广场舞活动公约，后续将持续跟进。",
        ],
        "dups": [
            {"note": "同一人再次反映滨江公园广场舞噪音", "same_user": True, "gap": (20, 40),
             "title": "晚上跳舞音响声音太大影响孩子学习",
             "items": [
                 ("12345热线", "晚上滨江公园跳舞的音响声音太大，影响孩子学习。我家就在公园对面的滨江花园，孩子初三了，每天晚上写作业都被吵得戴耳塞。请管一管，音量能不能小一点？"),
                 ("12345热线", "上个月反映过，晚上滨江公园跳舞的音响声音太大，影响孩子学习。我家就在公园对面的滨江花园，孩子初三了，每天晚上写作业都被吵得戴耳塞。到现在一点改善都没有，音量能不能小一点？"),
             ]},
        ],
    },
    # ------------------------------------------------------------------ 3
    {
        "key": "chengbei-bus-12-reroute",
        "anchors": ["12路"],
        "label": "城北区12路公交改线后不再经过柳湾新村，居民出行不便",
        "region": "城北区", "category": "交通运输",
        "depts": ["市交通运输局", "市公交集团", "城北区交通运输局"],
        "window": ("2024-09-01", "2025-03-31"),
        "plan": [("12345热线", 10), ("意见建议", 9), ("信访", 5), ("代表建议", 2)],
        "places": ["柳湾新村", "城北区柳湾新村", "柳湾路"],
        "titles": [
            "12路公交为什么不经过柳湾新村了", "强烈要求恢复12路公交原线路", "12路改线后老人看病不方便",
            "关于恢复12路公交柳湾新村站点的建议", "12路公交取消柳湾站，出行太难了", "柳湾新村居民出行问题",
            "12路车改道了，上班要多走二十分钟", "城北区12路公交调整意见",
        ],
        "texts": [
            "9月1号开始，12路不经过柳湾新村了，改走北环路。我们小区三千多户人家，很多老人平时就坐12路去市二医院看病，现在最近的站要走一公里多。改线之前有没有征求过我们的意见？",
            "12路公交车改线了，我每天上班要多走二十分钟去北站路坐车，下雨天更麻烦，能不能恢复原来的线路啊",
            "我母亲八十二岁，腿脚不好，以前在柳湾新村门口坐12路直达市二医院做透析，现在要换乘两次。请公交公司考虑一下老年人的实际困难。",
            "听说12路改线是因为北环路新开了楼盘，那也不能把老小区的站取消了呀！新楼盘可以另开一条线嘛。",
            "柳湾新村、柳湾小学、柳湾菜场这三个站全没了，附近居民出门只能打车或者骑电动车。建议至少保留高峰时段的区间车。",
            "孩子在城北二中上学，以前在柳湾新村坐12路五站就到，现在要走到北站路坐8路再换乘，早上六点就得出门。",
            "12路能不能恢复原线路？如果不能，能不能开一条社区微循环公交，把柳湾新村接到北站路地铁口？",
            "公交改线应该提前公示、听证，这次12路调整我们事先一点都不知道，9月1号早上在柳湾站台等了半个小时才发现车不来了，站牌都没换。",
            "柳湾这边老人多，12路一改线，大家去菜场、医院、银行都不方便了。社区开会的时候好多老人都在说这个事，希望代表帮我们反映。",
            "12路取消柳湾新村站的事情已经过去两个月了，还是没有任何答复，到底有没有人在管？",
            "建议：12路早晚高峰恢复经柳湾新村的原线路，平峰走新线路，两边都照顾到。",
            "12路改线后，北环路那边车上没几个人，我们柳湾这边却没车坐，这样调整合理吗？请交通局拿出客流数据来。",
            "我是柳湾新村的，12路没了以后，每天送孩子上学要骑电动车带着，冬天太冷了，孩子都感冒了好几次。",
            "12路车改线后柳湾新村这边没车坐了，老年人出门太难，请恢复原来的站点！",
            "１２路改道以后我们柳湾新村等于被公交“抛弃”了，我今年七十六，走到北环路要二十多分钟，歇三回。",
        ],
        "cores": [
            "12路公交9月份改线以后不经过柳湾新村了", "最近的公交站要走一公里多",
            "老人去市二医院看病要换乘两次", "早上上班要多花半个小时",
            "柳湾新村附近三个公交站都撤掉了", "站牌没有及时更换，也没提前通知",
            "改线以后北环路那边的车上乘客很少", "孩子上学只能靠家长骑电动车接送",
        ],
        "demands": [
            "希望恢复12路原来的线路。", "建议至少在早晚高峰保留经过柳湾新村的班次。",
            "能不能开一条社区巴士接驳到北站路地铁口。", "请交通部门公开改线的依据和客流数据。",
            "请公交集团认真听取柳湾新村居民的意见。",
        ],
        "formal": [
            ("关于优化12路公交线路、保障柳湾新村居民出行的建议",
             "2024年9月起，12路公交线路由柳湾路调整至北环路，柳湾新村、柳湾小学、柳湾菜场三个站点撤销，该片区约三千户居民、其中大量老年人出行受到影响。建议市交通运输局、市公交集团：一是在早晚高峰恢复经柳湾路的区间班次；二是开通柳湾新村至北站路地铁站的社区微循环线路；三是今后线路调整前应通过公示、座谈等方式充分听取沿线群众意见。"),
            ("关于建立公交线路调整听证和公示制度的建议",
             "北站街道人大代表联络站近两个月集中收到柳湾新村居民关于12路公交改线的反映五十余件。此次调整未提前公示，站牌未及时更新，群众意见较大。建议市交通运输局出台公交线路调整管理办法，明确线路撤站、改线须提前三十日公示，涉及老年人集中居住区的应组织座谈听证，并同步提供替代出行方案。"),
        ],
        "replies": [
            "您好，您反映的12路公交线路调整问题已收悉。此次调整系为服务北环路新建片区居民出行。经{dept}研究，自2024年11月起新开通社区微循环公交W12路，连接柳湾新村与北站路地铁站，发车间隔15分钟。感谢您的意见。",
            "您好，来信收悉。{dept}已对柳湾片区客流进行调研，拟在早晚高峰时段增开12路区间车，经停原柳湾新村站，具体开行方案将另行公示。",
        ],
        "dups": [
            {"note": "柳湾新村居民联名信（复制粘贴）", "same_user": False, "gap": (0, 3),
             "title": "柳湾新村居民联名恳请恢复12路公交",
             "items": [
                 ("信访", "我们是城北区柳湾新村居民。12路公交改线后，柳湾新村、柳湾小学、柳湾菜场三站取消，给小区老人和学生出行带来极大不便。我们联名恳请：恢复12路原线路，或开通接驳公交。柳湾新村2栋居民"),
                 ("信访", "我们是城北区柳湾新村居民。12路公交改线后，柳湾新村、柳湾小学、柳湾菜场三站取消，给小区老人和学生出行带来极大不便。我们联名恳请：恢复12路原线路，或开通接驳公交。柳湾新村6栋居民"),
                 ("意见建议", "我们是城北区柳湾新村居民。12路公交改线后，柳湾新村、柳湾小学、柳湾菜场三站取消，给小区全体居民出行带来极大不便。我们联名恳请：恢复12路原线路，或开通接驳公交。柳湾新村15栋居民"),
                 ("信访", "我们是城北区柳湾新村居民。12路公交改线后，柳湾新村、柳湾小学、柳湾菜场三站取消，给小区老人和学生出行带来极大不便，老人看病尤其困难。我们联名恳请：恢复12路原线路，或开通接驳公交。柳湾新村21栋居民"),
             ]},
        ],
    },
    # ------------------------------------------------------------------ 4
    {
        "key": "gaoxin-xinghe-school-traffic",
        "anchors": ["星河"],
        "label": "高新区星河小学校门口上下学时段交通拥堵、接送车辆乱停",
        "region": "高新区", "category": "交通运输", "alt_category": "教育文体",
        "depts": ["高新区公安分局交警大队", "高新区教育局", "高新区城管局"],
        "window": ("2024-02-20", "2025-11-30"), "months": [1, 2, 3, 4, 5, 6, 9, 10, 11, 12],
        "plan": [("12345热线", 12), ("意见建议", 13), ("信访", 3), ("代表建议", 2)],
        "places": ["星河小学附近", "高新区星河路", "星河小学旁边的小区", "科苑路"],
        "titles": [
            "星河小学门口每天堵成一锅粥", "星河小学放学时段交通拥堵", "建议星河小学门口设置临时停车区",
            "接送孩子的车乱停乱放", "星河路早高峰堵车问题", "关于星河小学周边交通秩序的建议",
            "星河小学门口太危险了", "家长车辆占道，星河路寸步难行",
        ],
        "texts": [
            "每天早上7点半到8点，星河小学门口堵成一锅粥，家长的车直接停在马路中间让孩子下车，后面的车狂按喇叭。我上班路过这里要堵二十分钟。",
            "星河小学放学的时候，星河路两边全是车，双排停车，把非机动车道都占了，孩子们只能从车缝里钻出来，太危险了。",
            "建议在星河小学附近设置即停即走的临时落客区，再安排交警和志愿者在高峰时段疏导。别的学校就是这么做的，效果很好。",
            "我是星河小学的家长，也想说句话：学校附近根本没有停车的地方，不停路边停哪儿？希望政府能把旁边那块空地改成临时停车场。",
            "星河路和科苑路路口早上没有交警，红绿灯时间又短，接送孩子的车、电动车、行人全挤在一起，迟早要出事。",
            "今天早上在星河小学门口看到一辆车倒车差点撞到一个一年级小朋友，吓死人了！请交警部门一定要重视！",
            "星河小学门口乱停车的问题说了多少年了，能不能贴条？贴几次就老实了。",
            "建议星河小学错峰放学，不同年级间隔十五分钟，这样门口不会一下子聚那么多人和车。",
            "科苑路是去产业园的主干道，星河小学上下学时段堵得动不了，我们公司班车每天都迟到。学校附近能不能修一个地下接送通道？",
            "星河小学门口的人行道上停满了电动车，家长等孩子的时候都站在机动车道上，非常危险。",
            "星河小学旁边新开了两个楼盘，学生越来越多，门口这条路只有两车道，肯定不够用。规划部门当初是怎么考虑的？",
            "星河小学上学放学堵车太严重了 麻烦交警早上来指挥一下 谢谢 天天都这样",
            "我每天骑车送娃，星河路口汽车乱停乱靠，还有逆行的，我们骑车的人夹在中间很危险。",
            "下午四点十分左右，星河小学门口连救护车都过不去，我亲眼看见一辆救护车在星河路上鸣笛等了五六分钟。",
        ],
        "cores": [
            "星河小学门口早上七点半开始就堵车", "接送孩子的家长把车停在马路中间",
            "星河路两边双排停车，非机动车道也被占了", "放学时段科苑路路口根本走不动",
            "孩子们在车流中间穿行非常危险", "学校周边没有临时停车的地方",
            "高峰时段没有交警疏导", "电动车把人行道也堵满了",
        ],
        "demands": [
            "建议设置即停即走的临时落客区。", "希望交警在上下学高峰时段派人疏导。",
            "建议学校实行错峰放学。", "请对乱停乱放的车辆加强处罚。", "希望规划建设学校接送停车场。",
        ],
        "formal": [
            ("关于治理星河小学周边上下学时段交通拥堵的建议",
             "高新区星河小学现有学生二千四百余人，校门位于星河路与科苑路交叉口附近，上下学时段接送车辆集中、违停严重，存在较大安全隐患。建议：一是由交警大队在星河路设置限时即停即走落客区并在高峰时段派警疏导；二是由区教育局指导学校实行分年级错峰放学；三是利用学校东侧闲置地块建设临时接送停车场；四是组织家长志愿者参与护学岗。"),
            ("关于新建住宅片区同步配套学校交通设施的建议",
             "星河小学周边近三年新增住宅约四千户，学位需求和接送交通压力同步上升，星河路仅为双向两车道，已不适应实际需要。建议在规划审批中将学校周边接送场地、港湾式停靠站作为配套条件，并对星河路学校段实施拓宽改造。"),
        ],
        "replies": [
            "您好，您反映的星河小学周边交通拥堵问题已收悉。{dept}已在上下学高峰时段安排警力和辅警现场疏导，并在星河路东侧施划即停即走落客区，对违停车辆进行劝离和处罚。感谢您的关注。",
            "您好，经{dept}与学校协商，星河小学自本学期起实行分年级错峰放学，并组建家长护学岗。学校东侧临时停车场项目已纳入区年度计划。",
        ],
    },
    # ------------------------------------------------------------------ 5
    {
        "key": "linhe-liutang-village-water",
        "anchors": ["柳塘"],
        "label": "临河县双桥镇柳塘村自来水发黄、经常停水",
        "region": "临河县", "category": "城乡建设", "alt_category": "农村农业",
        "depts": ["临河县水利局", "临河县供水公司", "双桥镇人民政府"],
        "window": ("2024-05-01", "2025-08-31"),
        "plan": [("12345热线", 12), ("意见建议", 5), ("信访", 8), ("代表建议", 2)],
        "places": ["双桥镇柳塘村", "柳塘村", "柳塘村东头", "临河县柳塘村"],
        "titles": [
            "柳塘村自来水发黄不能喝", "双桥镇柳塘村经常停水", "反映柳塘村饮用水水质问题",
            "自来水有铁锈味，请检测", "柳塘村三天两头停水", "关于解决柳塘村安全饮水问题的建议",
            "村里的水黄得像茶水", "柳塘村停水不通知",
        ],
        "texts": [
            "我是临河县双桥镇柳塘村村民，这几个月家里的自来水一打开就是黄的，放很久才清一点，烧开了壶底一层黄渣。小孩喝了拉肚子。请有关部门来检测一下水质。",
            "柳塘村又停水了，这个月第三次了，也不提前通知，早上起来做饭没水，只能去邻居家的井里打。",
            "村里自来水黄得像茶水一样，洗衣服都洗黄了，我们现在都是买桶装水喝，一个月要多花一百多块钱，老人家舍不得，还是喝自来水。柳塘村这个问题拖太久了。",
            "听说是柳塘村的供水管道太老了，还是十几年前铺的铁管，锈得厉害。希望县里把管道换掉。",
            "夏天用水高峰，我们柳塘村在管网末端，水压低，二楼以上根本没水，每天只有半夜才有点水。",
            "停水了 柳塘村 已经两天了 什么时候来水 家里还有老人 打供水公司电话没人接",
            "我们柳塘村的水质问题反映了不止一次了，上次说检测合格，但是水就是黄的，肉眼都能看出来。希望检测的时候请村民代表一起去取样。",
            "柳塘村东头几户人家的水龙头里放出来的水有一股铁锈味，还有小颗粒，滤水器滤芯一个月就变成黑的了。",
            "镇上说是县里的事，县供水公司说是镇里的水厂，柳塘村的水到底归谁管？老百姓喝口干净水怎么这么难？",
            "今天上午柳塘村又停水，没有任何通知，正好家里办酒席，十几桌人没水用，损失谁来负？",
            "建议在柳塘村装一个水质在线监测点，数据公开，老百姓自己也能看到水到底合不合格。",
            "我们村离县城就二十公里，县城人喝的水清清亮亮，我们柳塘村的水又黄又浑，都是临河县的老百姓，不能差别对待吧。",
            "柳塘村饮用水发黄，已经半年了，请尽快解决！！村里老人小孩都在喝这个水",
            "家里的水烧开以后上面飘一层油一样的东西，下面沉着黄泥巴，柳塘村好多户都是这样，没人敢直接喝了。",
        ],
        "cores": [
            "柳塘村的自来水打开就是黄的", "烧开的水壶底下一层黄色的渣子",
            "村里经常停水，也不提前通知", "水里有一股铁锈味",
            "夏天水压低，楼上根本没水", "家里人喝了自来水肠胃不舒服",
            "供水管道是十几年前铺的老铁管", "现在只能买桶装水喝",
        ],
        "demands": [
            "请尽快检测水质并公开结果。", "希望更换村里的老旧供水管道。", "停水前请提前通知村民。",
            "请县里把柳塘村纳入城乡供水一体化改造。", "希望有关部门给个解决时间表。",
        ],
        "formal": [
            ("关于解决双桥镇柳塘村饮用水水质和供水保障问题的建议",
             "柳塘村现有村民六百余户，供水管网建于2008年前后，管材老化锈蚀，村民普遍反映自来水发黄、有异味，且位于管网末端，夏季水压不足、停水频繁。建议：一是由县水利局对柳塘村供水水质开展第三方检测并公开结果；二是将柳塘村管网改造列入2025年农村供水保障工程；三是建立计划停水提前告知制度。"),
            ("关于加快推进临河县城乡供水一体化的建议",
             "双桥镇人大代表联络站收到柳塘村等村群众关于饮用水发黄、频繁停水的反映二十余件。农村小水厂和老旧管网已成为农村饮水安全的短板。建议县政府加快城乡供水一体化工程建设，优先改造柳塘村等管网末端村庄，明确镇村供水设施管护主体和经费来源。"),
        ],
        "replies": [
            "您好，您反映的柳塘村饮用水问题已收悉。{dept}已会同县疾控中心对柳塘村末梢水进行取样检测，铁、浑浊度两项指标超标，主要原因为管网老化。柳塘村管网改造工程已列入县2025年农村供水保障项目，改造期间将定期冲洗管网，并设置临时供水点。",
            ("您好，经核实，近期柳塘村停水系主管道抢修所致，{dept}未能及时通知，对此深表歉意。今后计划停水将提前24小时通过村广播和微信群告知。", ["停水", "没水", "水压"]),
            "您好，来信收悉。{dept}已安排对柳塘村供水管网进行集中冲洗，并在村委会设置临时净水取水点。管网改造完成前，将每月对末梢水水质进行一次检测，检测结果在村务公开栏公示。",
        ],
        "dups": [
            {"note": "柳塘村村民三次反映同一水质问题", "same_user": True, "gap": (18, 40),
             "title": "柳塘村自来水发黄，反映了没人来检测",
             "items": [
                 ("12345热线", "我是柳塘村村民，家里的自来水一直发黄，烧开了有黄渣，孩子喝了拉肚子。上个月打了12345，说会来检测，到现在也没人来。请尽快处理。"),
                 ("信访", "我是柳塘村村民，家里的自来水一直发黄，烧开了有黄渣，孩子喝了拉肚子。前两个月都打了12345，说会来检测，到现在也没人来。这已经是我第二次写信了，请尽快处理。"),
                 ("信访", "我是柳塘村村民，家里的自来水一直发黄，烧开了有黄渣，孩子喝了拉肚子。打了12345，说会来检测，到现在也没人来。这已经是我第三次反映了，请领导重视！"),
             ]},
        ],
    },
    # ------------------------------------------------------------------ 6
    {
        "key": "chengbei-jinguiyuan-elevator",
        "anchors": ["金桂苑"],
        "label": "城北区金桂苑小区电梯频繁故障、多次困人，物业维修不及时",
        "region": "城北区", "category": "城乡建设", "alt_category": "公共安全",
        "depts": ["城北区市场监管局", "城北区住建局", "北站街道办事处"],
        "window": ("2024-01-05", "2025-06-30"),
        "plan": [("12345热线", 11), ("意见建议", 6), ("信访", 5), ("代表建议", 1)],
        "places": ["城北区金桂苑小区", "金桂苑", "金桂苑小区", "金桂苑8栋"],
        "titles": [
            "金桂苑小区电梯又坏了", "金桂苑电梯困人，物业不管", "电梯三天两头故障",
            "反映金桂苑小区电梯安全隐患", "金桂苑8栋电梯停运一周无人维修", "老旧电梯该换了",
            "电梯困人半小时物业才来",
        ],
        "texts": [
            "金桂苑小区8栋的电梯这个月已经坏了四次，昨天又把一个老人困在里面四十多分钟，物业说等维保公司来，维保公司说等配件。请问到底谁来负责？",
            "我们金桂苑的电梯用了快二十年了，经常运行中突然停住、门关不上，坐电梯跟坐过山车一样。物业一直说没钱换，维修资金又申请不下来。",
            "电梯困人！！！金桂苑3栋，我女儿放学被关在电梯里，按警铃没人应，最后是打119才出来的。物业的值班电话一直没人接。",
            "我住金桂苑18楼，电梯一坏我家老人就下不了楼，上周整整停了五天，买菜都是邻居帮忙带的。",
            "金桂苑小区电梯维保合同是不是到期了？最近维修的师傅来了就是重启一下，根本不修。请市场监管局来检查一下这批电梯的安全状况。",
            "电梯年检合格证都过期三个月了还在运行，金桂苑物业胆子也太大了。请监管部门查一查！",
            "金桂苑电梯坏了一个多礼拜了，没人修，我们住高层的天天爬楼梯，腿都爬废了。",
            "物业费一分不少交，电梯却三天两头坏，金桂苑的物业到底在干什么？我们业主要求更换物业。",
            "建议街道牵头，帮助金桂苑小区启动住宅专项维修资金，把老旧电梯整体更换，一直修修补补不是办法。",
            "今天早上金桂苑5栋电梯又停在两层中间了，里面有个孕妇，吓得直哭。这样下去迟早出大事。",
            "金桂苑的电梯轿厢里一股焦糊味，运行的时候还有异响，跟物业说了他们说正常。请专业部门来看看。",
        ],
        "cores": [
            "金桂苑小区的电梯这个月又坏了好几次", "电梯运行中突然停住，把人困在里面",
            "按了紧急呼叫按钮没人应答", "物业报修以后好几天都没人来修",
            "电梯已经用了快二十年，零件老化严重", "电梯运行时有异响，门经常关不上",
            "住高层的老人只能爬楼梯", "维保公司来了只是重启一下",
        ],
        "demands": [
            "请市场监管部门对电梯进行安全检查。", "希望督促物业尽快修好电梯。",
            "建议启用维修资金更换老旧电梯。", "请相关部门约谈物业公司。",
            "希望尽快解决，不要等出了人命再管。",
        ],
        "formal": [
            ("关于督促解决金桂苑小区老旧电梯安全隐患的建议",
             "城北区金桂苑小区共有电梯24台，多数投用于2006年前后，近一年来故障频发，多次发生困人事件，群众反映强烈。建议区市场监管局开展专项安全检查，督促物业和维保单位落实维保责任；由北站街道指导业主委员会依法申请使用住宅专项维修资金，分批更新老旧电梯；同时探索引入电梯安全责任保险。"),
        ],
        "replies": [
            "您好，您反映的金桂苑小区电梯故障问题已收悉。{dept}已对该小区电梯开展专项检查，对存在隐患的3台电梯责令停用整改，并约谈物业服务企业和维保单位。目前8栋电梯已更换主板并恢复运行。",
            "您好，经{dept}协调，金桂苑小区业主大会已表决通过使用专项维修资金更新电梯的方案，首批6台电梯计划于2025年第二季度完成更换。",
        ],
        "dups": [
            {"note": "金桂苑8栋业主两次反映电梯停运", "same_user": True, "gap": (25, 45),
             "title": "金桂苑8栋电梯停运无人维修",
             "items": [
                 ("12345热线", "金桂苑8栋的电梯又坏了，已经停了三天，物业说在等配件。我家老人八十多岁住16楼，下不了楼。请相关部门督促物业尽快维修。"),
                 ("12345热线", "金桂苑8栋的电梯又坏了，这次停了一个礼拜，物业还是说在等配件。我家老人八十多岁住16楼，下不了楼。上次反映后修好没几天就又坏了。请相关部门督促物业尽快维修。"),
             ]},
        ],
    },
    # ------------------------------------------------------------------ 7
    {
        "key": "donghu-hubin-market-street-vending",
        "anchors": ["湖滨"],
        "label": "东湖区湖滨菜市场周边占道经营、油烟污染",
        "region": "东湖区", "category": "城乡建设", "alt_category": "商贸旅游",
        "depts": ["东湖区城管局", "东湖区市场监管局", "湖滨街道办事处"],
        "window": ("2024-03-01", "2025-10-31"),
        "plan": [("12345热线", 12), ("意见建议", 9), ("信访", 4), ("代表建议", 1), ("其他", 1)],
        "places": ["东湖区湖滨菜市场附近", "湖滨路", "湖滨菜场旁边的小区", "湖滨街道"],
        "titles": [
            "湖滨菜市场门口占道经营", "湖滨菜场周边摊贩占道，道路堵塞", "湖滨菜市场旁边烧烤油烟扰民",
            "投诉湖滨路小吃摊油烟", "关于湖滨菜市场周边环境整治的建议", "湖滨菜市场门口脏乱差",
            "占道摆摊，消防通道被堵",
        ],
        "texts": [
            "东湖区湖滨菜市场门口的湖滨路，早上六点到九点，两边全是摆摊的，卖菜的卖鱼的把路都占满了，车开不过去，人也挤不过去。",
            "湖滨菜市场旁边那一排小吃店，油烟直接往我们楼上排，家里窗户都不敢开，晾的衣服一股油烟味。",
            "湖滨菜场周边的流动摊贩太多了，地上全是烂菜叶和污水，夏天臭得不行，苍蝇到处飞。",
            "菜场门口的摊贩把消防通道都堵了，上次我们小区有人家里着火，消防车进不来，差点出大事。湖滨菜场这一片必须整治。",
            "湖滨菜市场外面的烧烤摊每天晚上烤到凌晨，烟熏火燎的，还有人喝酒划拳，吵得睡不着。",
            "我理解小商贩谋生不容易，但能不能划一块地方集中摆摊？现在湖滨路天天堵，公交车都要开十分钟才能过这一段。",
            "湖滨菜市场里面的摊位空着一半，外面却摆满了，是不是里面摊位费太贵了？建议管理方降低摊位费，把摊贩引进去。",
            "城管来了摊贩就跑，城管一走又摆出来，跟打游击一样，湖滨菜场门口这种情况好几年了，有没有长效办法？",
            "湖滨路那几家饭店油烟净化器根本不开，油烟黑乎乎的往外冒，请环保部门查一查。",
            "每天早上送孩子上学要经过湖滨菜场，电动车都推不过去，地上又滑，上个月我还摔了一跤。",
            "湖滨菜市场周边占道经营问题，请相关部门整治。早上路过要走好久，地上都是污水。",
            "菜场旁边的炸串店油烟太大了 我家就在二楼 整个屋子都是味道 老人咳嗽得厉害 湖滨路这边",
        ],
        "cores": [
            "湖滨菜市场门口两边都是占道摆摊的", "湖滨路早上被摊贩占得只剩一条缝",
            "菜场旁边小吃店的油烟直往居民楼里灌", "地上全是烂菜叶和污水，气味难闻",
            "流动摊贩把消防通道都堵住了", "晚上烧烤摊烟熏火燎到凌晨",
            "城管一走摊贩又回来了", "饭店的油烟净化器形同虚设",
        ],
        "demands": [
            "请城管部门加强整治，建立长效机制。", "建议划定便民疏导点，让摊贩集中经营。",
            "请环保部门检查油烟净化设施。", "希望清理消防通道，消除安全隐患。",
            "希望街道拿出彻底的整治方案。",
        ],
        "formal": [
            ("关于综合整治湖滨菜市场周边环境秩序的建议",
             "东湖区湖滨菜市场周边长期存在占道经营、流动摊贩聚集、餐饮油烟扰民等问题，湖滨路早高峰通行困难，消防通道被占用。建议：一是由湖滨街道牵头，城管、市场监管、生态环境部门联合执法；二是在湖滨路东段设置限时便民疏导点；三是督促市场管理方降低场内摊位租金，引导摊贩入场；四是对周边餐饮单位油烟净化设施开展专项检查。"),
        ],
        "gc": [
            ("东湖立法观察点民情收集报告（湖滨菜市场周边）",
             "东湖立法观察点本季度在湖滨街道开展民情收集，共收到关于湖滨菜市场周边问题的意见十六条，其中占道经营九条、餐饮油烟五条、消防通道堵塞两条。观察点建议：对菜市场周边实行“疏堵结合”，设置限时疏导点；将餐饮油烟治理纳入街道网格化管理；相关意见同步作为市容管理立法调研的参考。",
             "东湖区东湖立法观察点"),
        ],
        "replies": [
            "您好，您反映的湖滨菜市场周边占道经营问题已收悉。{dept}已会同城管、市场监管等部门开展专项整治，清理占道摊点，并在湖滨路东段设置早市便民疏导点（6:00—8:30）。下一步将实行定人定岗管理，防止反弹。",
            ("您好，经{dept}现场检查，湖滨路两家餐饮店油烟净化设施未正常使用，已责令整改并依法处罚。感谢您的监督。", ["油烟", "烧烤", "饭店", "炸串"]),
            "您好，您反映的问题已收悉。{dept}已将湖滨菜市场周边纳入重点整治区域，实行早晚错时巡查，对反复占道经营的摊贩依法处理，同时协调市场管理方降低场内摊位租金，引导摊贩入场经营。",
        ],
        "dups": [
            {"note": "同一人两次投诉湖滨菜场旁小吃店油烟", "same_user": True, "gap": (15, 35),
             "title": "湖滨菜市场旁边小吃店油烟扰民",
             "items": [
                 ("12345热线", "湖滨菜市场旁边那一排小吃店，油烟直接往我们楼上排，家里窗户都不敢开，晾的衣服一股油烟味。我家就在菜场西侧那栋楼的三楼，请尽快处理。"),
                 ("信访", "湖滨菜市场旁边那一排小吃店，油烟还是直接往我们楼上排，家里窗户都不敢开，晾的衣服一股油烟味。我家就在菜场西侧那栋楼的三楼，上次打电话反映后没有任何变化，请尽快处理。"),
             ]},
        ],
    },
    # ------------------------------------------------------------------ 8 (surge)
    {
        "key": "flexible-employment-social-insurance-base",
        "anchors": ["灵活就业"],
        "label": "灵活就业人员社保缴费基数上调后缴费负担加重（咨询与投诉，2025年7月集中爆发）",
        "region": None, "category": "劳动和社会保障",
        "depts": ["市人社局", "市社会保险事业管理中心", "市医保局"],
        "spike_month": "2025-07",
        "schedule": (
            [("2024-01", "12345热线"), ("2024-02", "意见建议"), ("2024-03", "12345热线"),
             ("2024-04", "信访"), ("2024-05", "12345热线"), ("2024-06", "意见建议"),
             ("2024-07", "12345热线"), ("2024-07", "12345热线"), ("2024-07", "意见建议"),
             ("2024-08", "12345热线"), ("2024-09", "信访"), ("2024-11", "意见建议"),
             ("2025-03", "12345热线"), ("2025-05", "12345热线")]
            + [("2025-07", "12345热线")] * 26
        ),
        "titles": [
            "灵活就业社保缴费基数上涨咨询", "灵活就业人员社保又涨了", "咨询灵活就业养老保险缴费标准",
            "社保缴费负担太重", "灵活就业人员缴费能否给予补贴", "社保扣款失败显示欠费",
            "对灵活就业人员缴费基数调整的意见", "个人交社保太贵了",
        ],
        "texts_2024": [
            "我是灵活就业人员，今年的社保缴费基数什么时候公布？每年7月都涨，我们自己交全额，压力越来越大。",
            "咨询一下，灵活就业人员养老保险可以按最低档交吗？我在网上看到有60%、100%几个档次，不知道怎么选。",
            "我是开网约车的，按灵活就业交社保，去年一年交了一万多，今年听说又要涨，能不能给我们这种收入不稳定的人一点补贴？",
            "灵活就业人员断缴了三个月，还能补缴吗？补缴要交滞纳金吗？我之前以为是银行自动扣的。",
            "我失业后以灵活就业身份续保，每个月养老加医保要交一千二左右，收入只有三千多，实在交不起了。",
            "请问灵活就业人员缴费基数是按全市平均工资算的吗？我们又没有那么高的收入，能不能按实际收入缴？",
            "今年7月起灵活就业缴费标准调整了，通知太晚了，我已经按旧标准扣了款，系统显示欠费，要怎么处理？",
            "我是做外卖骑手的，没有单位，想自己交社保，但是每个月八九百块，有点吃力，政府有没有灵活就业社保补贴？",
            "灵活就业人员医保和养老能不能分开交？我只想先交医保，养老等手头宽裕了再说。",
            "给50岁以上的灵活就业人员一点缴费补贴吧，我们这个年纪找工作难，社保又不能断。",
            "我今年五十五岁，社保交了十二年，还差三年，灵活就业每年都涨，希望能有个缓冲。",
            "社保缴费APP上灵活就业人员缴费档次只能选一次，选错了能不能改？",
        ],
        "texts_2025": [
            "7月份灵活就业社保突然涨了，我一个月工资三千二，养老医保加起来要交一千二百多，剩下的钱连房租都不够。这个政策能不能考虑一下我们底层老百姓？",
            "就想问一下，为什么今年灵活就业的缴费基数涨这么多？去年涨了今年又涨，工资可没涨。",
            "咨询：2025年度灵活就业人员养老保险缴费基数下限是多少？每月最低交多少？",
            "社保又涨了！！灵活就业的人活该被割韭菜吗？工资一分没涨，社保年年涨",
            "我是五十三岁下岗女工，一直按灵活就业交社保，7月份开始每个月多交七十块，对你们来说不多，对我来说是一个礼拜的菜钱。",
            "这次社保缴费基数调整，单位职工有单位交大头，我们灵活就业是百分之百自己掏，建议对灵活就业人员单独设置一个低一点的档次。",
            "市民来电反映：其为灵活就业人员，2025年7月起养老保险缴费额由每月826元调整为896元，认为涨幅过大，要求说明调整依据，并咨询是否有缴费补贴政策。",
            "市民来电咨询：灵活就业人员7月份银行代扣社保失败，系统显示欠费，询问补缴方式及是否影响医保待遇享受。",
            "来电人称其在本市从事快递配送，以灵活就业身份参保，对7月起缴费基数上调有意见，认为低收入群体负担过重，希望有关部门研究出台过渡性措施。",
            "市民来电反映：家中两人均为灵活就业人员，7月起两人每月社保合计多缴近两百元，家庭负担加重，咨询能否申请就业困难人员社保补贴。",
            "ＡＰＰ上显示我7月份的灵活就业养老保险是896元，6月份还是826元，一下子涨了70块，也没有短信通知，我还以为扣错了。",
        ],
        "openers": [
            "我是灵活就业人员，", "您好，我是自由职业者，", "我是跑外卖的，自己交社保，", "我是个体户，",
            "我下岗后一直按灵活就业交社保，", "我是开网约车的，", "我在家带孩子，自己交的社保，",
            "我做点小生意，没单位，", "我今年五十一了，没有单位，", "您好，咨询个社保的事，",
        ],
        "cores": [
            "7月份开始灵活就业的缴费基数又上调了", "养老保险从每个月826元涨到了896元",
            "医保也跟着涨了，一个月多交好几十", "我一个月收入就三千出头，社保就要交一千多",
            "这次调整一点缓冲都没有，7月份直接按新标准扣款", "银行代扣的时候余额不够，现在显示欠费了",
            "不知道新的缴费基数是怎么算出来的", "我这个年纪找工作难，社保又不敢断",
            "听说今年下限提高了，最低档也要按新基数交", "手机上查不到新标准的明细",
        ],
        "demands": [
            "请问能不能继续按原来的标准交？", "希望政府对低收入的灵活就业人员给予缴费补贴。",
            "请说明一下新缴费基数的计算依据。", "想咨询一下欠费的话会不会影响养老金计算。",
            "建议分档调整，给大家一个过渡期。", "能不能按季度或者按年缴，减轻一点压力？",
            "请问在哪里申请灵活就业社保补贴？",
        ],
        "replies": [
            "您好，您咨询的灵活就业人员社会保险缴费问题已收悉。根据本市2025年度社会保险缴费基数调整通知，灵活就业人员可在缴费基数下限至上限之间自主选择缴费档次，自2025年7月起按新标准缴纳。对符合条件的就业困难人员，可按规定申请灵活就业社会保险补贴，具体可咨询户籍所在地街道（乡镇）社区服务中心。",
            ("您好，经{dept}核实，您7月份扣款失败系账户余额不足所致，可于当年12月底前通过线上平台补缴，不加收滞纳金，不影响缴费年限累计。", ["扣款", "欠费", "断缴", "补缴"]),
            "您好，您反映的问题已收悉。本次缴费基数调整依据为上年度全省全口径城镇单位就业人员平均工资，{dept}已将您关于设置过渡期的建议汇总上报，感谢您的意见。",
        ],
    },
    # ------------------------------------------------------------------ 9
    {
        "key": "qingshan-cuiping-road-streetlights",
        "anchors": ["翠屏路"],
        "label": "青山区翠屏路（青山二中至铁路桥段）路灯不亮，夜间出行不安全",
        "region": "青山区", "category": "城乡建设", "alt_category": "公共安全",
        "depts": ["青山区城管局", "青山区住建局", "青山区路灯管理所"],
        "window": ("2024-10-01", "2025-12-20"), "months": [1, 2, 3, 10, 11, 12],
        "plan": [("12345热线", 13), ("意见建议", 7), ("信访", 2), ("代表建议", 1)],
        "places": ["青山区翠屏路附近", "翠屏路边上的小区", "翠屏路", "青山二中附近"],
        "titles": [
            "翠屏路路灯不亮", "翠屏路晚上一片漆黑", "反映翠屏路段路灯长期损坏",
            "青山二中门口到铁路桥路灯全坏了", "夜间出行不安全，请修路灯", "翠屏路黑灯瞎火，差点摔跤",
        ],
        "texts": [
            "青山区翠屏路从青山二中到铁路桥这一段，路灯已经一个多月不亮了，晚上黑漆漆的，学生晚自习下课都要摸黑走，家长很担心。",
            "翠屏路路灯坏了好久了，晚上骑电动车根本看不清路面的坑，我昨天晚上就摔了一跤，膝盖都破了。",
            "翠屏路铁路桥下面那段太黑了，女孩子晚上下班不敢一个人走，听说前几天还有人被抢了包。请尽快修好路灯。",
            "翠屏路的路灯白天亮，晚上反而不亮，是不是控制器坏了？麻烦路灯所来看看。",
            "青山二中晚自习九点半放学，翠屏路没有路灯，几百个学生在黑暗里走，旁边还有大货车经过，太危险了。",
            "翠屏路路灯不亮，晚上走路心里发毛，希望赶紧修！已经黑了快两个月了",
            "上个月打过电话说翠屏路路灯坏了，说会派人修，到现在还是黑的。请问是没有经费还是没人管？",
            "翠屏路这一段路灯杆都锈了，有几根灯头都掉了，晚上既没光又有安全隐患，建议整体更换成新的LED路灯。",
            "夜跑经过翠屏路，从二中门口开始一直到铁路桥，大概八百米没有一盏灯亮，连路边的井盖都看不见。",
            "翠屏路晚上黑灯瞎火的，货车开过去都看不到路边有人，迟早要出事故。",
        ],
        "cores": [
            "翠屏路青山二中到铁路桥这一段路灯全都不亮", "晚上路上黑漆漆的，什么都看不清",
            "铁路桥下面那段尤其黑", "学生晚自习放学要摸黑走路", "骑电动车看不见路面的坑",
            "路灯坏了一个多月了没人修", "晚上女孩子不敢一个人走",
        ],
        "demands": [
            "请尽快安排维修路灯。", "希望路灯管理部门来现场看看。", "建议把老旧路灯整体更换。",
            "请给个修复的时间。",
        ],
        "formal": [
            ("关于尽快修复翠屏路路灯、保障师生夜间出行安全的建议",
             "青山区翠屏路青山二中至铁路桥段约800米路灯长期不亮，该路段为青山二中学生晚自习放学主要通道，且有大型货车通行，夜间安全隐患突出。建议区城管局尽快完成路灯线路检修，并将该路段纳入老旧路灯LED改造计划；同时在铁路桥下增设照明和监控设施。"),
        ],
        "replies": [
            "您好，您反映的翠屏路路灯不亮问题已收悉。经{dept}排查，该路段故障系地下电缆被施工挖断所致，已于近日完成线路抢修，路灯已恢复正常照明。感谢您的反映。",
            "您好，{dept}已将翠屏路（青山二中至铁路桥段）纳入老旧路灯改造计划，将更换为LED灯具，并在铁路桥下增设照明设施。",
        ],
    },
    # ------------------------------------------------------------------ 10
    {
        "key": "jiangnan-jinxiu-ebike-charging",
        "anchors": ["锦绣花园"],
        "label": "江南区锦绣花园小区电动车充电桩不足、飞线充电安全隐患",
        "region": "江南区", "category": "公共安全", "alt_category": "城乡建设",
        "depts": ["江南区住建局", "江南区消防救援大队", "锦绣社区居委会"],
        "window": ("2024-04-01", "2025-12-20"),
        "plan": [("12345热线", 12), ("意见建议", 10), ("信访", 2), ("代表建议", 1), ("其他", 1)],
        "places": ["江南区锦绣花园小区", "锦绣花园", "锦绣花园小区"],
        "titles": [
            "锦绣花园电动车充电桩太少", "锦绣花园飞线充电太危险", "小区充电难，建议增设充电桩",
            "楼上往下拉电线给电动车充电", "锦绣花园电动车进楼充电隐患",
            "关于锦绣花园小区增设电动自行车充电设施的建议",
        ],
        "texts": [
            "江南区锦绣花园小区一千多户人家，只有一个车棚十几个充电口，每天晚上抢不到。好多人从楼上窗户拉电线下来充电，电线挂得到处都是，很危险。",
            "锦绣花园有人把电动车推进电梯带回家充电，物业也不管。前段时间新闻里电动车起火的事大家都看到了，请有关部门重视。",
            "我们锦绣花园的充电桩太少了，我每天下班回来都没位置，只能把电池拿上楼充，但是听说电池在家充也不安全，到底该怎么办？",
            "锦绣花园7栋一楼有户人家从窗户里拉插排出来给电动车充电，插排就放在地上，下雨天也这样，随时可能漏电。",
            "建议在锦绣花园小区南门那块空地建一个集中充电车棚，装上智能充电桩和监控，按次收费大家都能接受。",
            "物业说装充电桩要业委会同意，业委会说要物业出钱，扯皮扯了一年，锦绣花园还是没有充电桩。",
            "锦绣花园飞线充电的问题非常严重，晚上楼道里、窗户外到处是电线，消防部门能不能来检查一下？",
            "锦绣花园小区充电桩坏了一半，剩下的几个还老是跳闸，物业根本不维护。",
            "我是锦绣花园的业主，强烈支持增设充电桩，也支持禁止电动车进楼，但前提是得让大家有地方充电。",
            "锦绣花园充电太难了 每天抢充电位跟打仗一样 有人充满了也不挪走 一占一晚上",
        ],
        "cores": [
            "锦绣花园小区只有十几个充电口", "每天晚上都抢不到充电位",
            "很多人从楼上窗户拉电线下来充电", "有人把电动车推进电梯带回家充电",
            "楼道里停着电动车，还插着插排", "充电桩坏了好几个也没人修", "物业和业委会互相推诿",
        ],
        "demands": [
            "建议增设集中充电车棚和智能充电桩。", "请消防部门来检查一下飞线充电的隐患。",
            "希望社区协调物业尽快解决充电难。", "请相关部门督促物业落实安全管理责任。",
        ],
        "formal": [
            ("关于解决锦绣花园小区电动自行车充电难问题的建议",
             "江南区锦绣花园小区有住户一千一百余户，电动自行车保有量约九百辆，现有充电接口仅16个，居民“飞线”充电、入户充电现象普遍，火灾隐患突出。建议区住建局会同消防救援大队、锦绣社区：一是利用小区南门闲置空地建设集中式充电车棚，配置智能充电桩和消防设施；二是对飞线充电开展专项排查整治；三是明确物业服务企业安全管理责任。"),
        ],
        "gc": [
            ("锦绣社区代表联络站走访情况（电动车充电）",
             "锦绣社区代表联络站组织代表走访锦绣花园小区，现场查看发现多处从窗户向下私拉电线、楼道停放电动车充电的情况。居民普遍反映充电接口严重不足，物业与业委会在充电设施建设费用上存在分歧。联络站已将问题转交区住建局和消防救援大队，并建议在条例中明确老旧小区充电设施建设责任。",
             "江南区锦绣社区代表联络站"),
        ],
        "replies": [
            "您好，您反映的锦绣花园小区电动车充电问题已收悉。经{dept}协调，锦绣社区已组织物业、业委会召开协调会，确定在小区南门空地新建集中充电车棚，设置充电口120个，预计两个月内建成投用。同时消防部门已对飞线充电开展排查，清理私拉电线23处。",
            "您好，经核查，{dept}已督促物业对损坏的充电设施进行维修，并加强楼道巡查，劝离违规停放电动车。",
        ],
    },
    # ------------------------------------------------------------------ 11
    {
        "key": "chengbei-heping-metro-construction-noise",
        "anchors": ["和平新村"],
        "label": "城北区和平新村旁地铁5号线北站路站工地夜间施工噪音扰民",
        "region": "城北区", "category": "城乡建设", "alt_category": "环境保护",
        "depts": ["市轨道交通集团", "城北区住建局", "城北区城管局"],
        "window": ("2025-02-01", "2025-11-30"),
        "plan": [("12345热线", 12), ("意见建议", 6), ("信访", 4), ("代表建议", 1)],
        "places": ["城北区和平新村", "和平新村", "和平新村临街那栋楼"],
        "titles": [
            "和平新村旁地铁工地半夜施工", "地铁5号线工地噪音扰民", "北站路地铁站工地晚上太吵",
            "和平新村居民被地铁工地噪声困扰", "反映地铁施工夜间扰民问题",
        ],
        "texts": [
            "城北区和平新村旁边的地铁5号线北站路站工地，最近每天晚上都在施工，凌晨三四点还有挖掘机的声音，我们住在临街的楼根本没法睡。",
            "理解地铁建设是好事，但和平新村这边夜间施工太频繁了，能不能提前公示夜间作业时间，让我们有个心理准备？",
            "和平新村门口的地铁工地，晚上的破碎锤声音跟打雷一样，整栋楼都在震，墙上的瓷砖都震裂了。",
            "北站路地铁站工地夜间施工扰民，已经持续三个月了。我们和平新村很多老人，晚上根本睡不好，血压都上来了。",
            "地铁公司说是因为白天交通管制不能施工，只能晚上干。那能不能给和平新村受影响的居民装隔音窗或者给点补偿？",
            "和平新村这边的地铁工地，晚上十一点以后还在用大型机械，请问有没有夜间施工审批？",
            "晚上地铁工地的大灯照进我家卧室，加上噪音，孩子天天做噩梦。和平新村2栋。",
            "5号线工地夜里施工太吵了，和平新村临街的住户能不能安排临时安置？",
            "北站路地铁工地旁边的和平新村，每天半夜都被吵醒，工人说话声、机器声、车辆倒车提示音，一晚上不停。",
        ],
        "cores": [
            "和平新村旁边的地铁5号线工地晚上一直在施工", "凌晨还有破碎锤和挖掘机的声音",
            "临街楼栋的窗户都被震得嗡嗡响", "工地大灯晚上直接照进卧室",
            "地铁工地夜间作业已经持续好几个月了", "渣土车半夜在北站路进进出出",
        ],
        "demands": [
            "希望轨道交通公司提前公示夜间施工计划。", "建议给临街住户安装隔音窗。",
            "请核查工地的夜间施工审批手续。", "希望尽量减少夜间高噪声作业。",
        ],
        "formal": [
            ("关于减轻地铁5号线北站路站施工对和平新村居民影响的建议",
             "地铁5号线北站路站为重点工程，但因白天交通导改限制，夜间施工频繁，紧邻的和平新村居民长期受噪声和光污染困扰。建议市轨道交通集团：一是合理安排工序，高噪声作业尽量安排在22时前；二是提前一周公示夜间施工计划；三是为临街住户免费加装隔音窗；四是建立施工方与居民的定期沟通机制。"),
        ],
        "replies": [
            "您好，您反映的地铁5号线北站路站工地夜间施工噪声问题已收悉。经{dept}核实，该工地因交通导改需要办理了夜间施工许可，但确存在高噪声作业时间过长的问题。已要求施工单位将破碎作业调整至22时前，设置声屏障，并为和平新村临街住户加装隔音窗。",
            "您好，{dept}已督促施工单位每周在和平新村公告栏公示夜间施工计划，并设立24小时投诉电话。",
        ],
    },
    # ------------------------------------------------------------------ 12
    {
        "key": "donghu-cuihuyuan-dogs",
        "anchors": ["翠湖苑"],
        "label": "东湖区翠湖苑小区遛狗不拴绳、犬只粪便不清理",
        "region": "东湖区", "category": "公共安全", "alt_category": "城乡建设",
        "depts": ["东湖区公安分局", "东湖区城管局", "湖滨街道办事处"],
        "window": ("2024-05-01", "2025-10-31"),
        "plan": [("12345热线", 11), ("意见建议", 11), ("信访", 2), ("其他", 1)],
        "places": ["东湖区翠湖苑小区", "翠湖苑", "翠湖苑小区"],
        "titles": [
            "翠湖苑小区遛狗不拴绳", "翠湖苑大狗吓到孩子", "小区里到处是狗屎",
            "翠湖苑犬只管理问题", "翠湖苑小区不文明养犬", "遛狗不牵绳，物业不管",
        ],
        "texts": [
            "东湖区翠湖苑小区里好多人晚上遛狗不拴绳，有一条金毛直接扑到我女儿身上，孩子吓得大哭，狗主人还说它不咬人。",
            "翠湖苑小区草坪上、人行道上到处都是狗屎，一不小心就踩上，小孩在草坪上玩都不放心，狗主人遛完狗就走，从来不清理。",
            "翠湖苑有人养了一条很大的犬，好像是禁养的品种，每天早上不拴绳在小区里跑，请公安部门来核查一下。",
            "我在翠湖苑小区被狗咬过一次，打了五针狂犬疫苗，狗主人赔了医药费就不管了，现在照样不拴绳遛狗。",
            "翠湖苑物业对不文明养犬一点办法都没有，贴了几张提示就完事了。建议在小区里设置遛狗区和拾便袋箱。",
            "翠湖苑小区遛狗不拴绳的太多了 老人带孩子都不敢下楼 请管一管",
            "翠湖苑晚上七八点是遛狗高峰，几十条狗在中心花园跑，有的还打架，吓死人。",
            "电梯里也有狗尿，翠湖苑8栋，物业打扫了第二天又有，怀疑是同一户人家的狗。",
            "作为一个养狗的人，我也看不下去了，翠湖苑有些狗主人确实太过分，影响了我们整个养狗群体的形象。支持严格管理。",
        ],
        "cores": [
            "翠湖苑小区很多人遛狗不拴绳", "草坪和人行道上到处是狗粪", "大狗在小区里乱跑，孩子吓得不敢下楼",
            "狗主人遛完狗从来不清理粪便", "晚上中心花园几十条狗一起跑", "有邻居被狗咬伤了",
            "物业只是贴了几张提示",
        ],
        "demands": [
            "希望物业和公安部门加强管理。", "建议设置专门的遛狗区。", "请对不拴绳遛狗的行为依法处罚。",
            "请核查一下有没有禁养犬。",
        ],
        "gc": [
            ("东湖立法观察点关于翠湖苑小区养犬问题的情况反映",
             "东湖立法观察点联络员在翠湖苑小区收集到居民关于不文明养犬的意见二十余条，集中在遛狗不拴绳、犬只粪便不清理、大型犬出入电梯等方面。居民建议物业划定遛犬区域、设置拾便袋箱，公安部门加强犬只登记管理。观察点已将意见整理，作为文明行为促进条例（草案）第九条的实施调研材料。",
             "东湖区东湖立法观察点"),
        ],
        "replies": [
            "您好，您反映的翠湖苑小区不文明养犬问题已收悉。{dept}已会同社区、物业开展文明养犬宣传和巡查，对未拴绳遛犬的犬主进行劝导教育，对2起违规行为依法作出处罚，并在小区内增设拾便袋取用点6处。",
            ("您好，经{dept}核查，您反映的大型犬已办理犬只登记，不属于禁养犬种，已要求犬主出户必须束犬链并由成年人牵领。", ["禁养", "大犬", "大狗", "金毛"]),
            "您好，经{dept}核查，已督促翠湖苑物业在小区出入口张贴文明养犬公约，划定遛犬区域，增设拾便袋箱，并安排保安在遛狗高峰时段巡查劝导。",
        ],
    },
]

# =====================================================================
# Draft regulations open for comment, and opinions on them by article.
# =====================================================================

LAW_TITLES = [
    "对《{law}》{article}的意见", "关于{article}（{topic}）的修改建议", "{short}{article}意见",
    "对{article}{topic}条款的建议", "{topic}条款意见", "关于{short}草案{article}的看法",
]

LAW_GENERIC = [
    "完全赞同{article}关于{topic}的规定，这个问题老百姓反映很多年了，希望条例早日出台。",
    "{article}关于{topic}的规定方向是对的，但是条文还比较原则，建议制定配套的实施细则，增强可操作性。",
    "对{law}{article}有一点意见：关于{topic}的规定，执法主体和处罚标准都不够明确，建议进一步细化。",
    "我认为{article}关于{topic}的内容写得很实在，贴近群众生活，支持！希望出台后真正落实。",
    "建议{article}关于{topic}的规定在正式出台前多听听基层社区的意见，特别是老旧小区的实际情况。",
    "{article}{topic}这一块，建议借鉴外地的好做法，先在几个街道试点，成熟了再全市推开。",
]

LAW_REPLIES = [
    "您好，您对《{law}》{article}提出的意见已收悉，已汇总报送市人大常委会法制工作委员会，作为草案修改的重要参考。感谢您对地方立法工作的关心和支持。",
    "您好，感谢您参与立法意见征集。您关于{article}的意见我们已认真记录并转交起草部门研究，后续修改情况将通过基层立法联系点向社会反馈。",
    "您好，您提出的关于{topic}的建议已被部分采纳，草案修改稿已对{article}的相关表述作了调整。感谢您的宝贵意见。",
]

LAWS = [
    {
        "law": "某市文明行为促进条例（草案）",
        "category": "公共安全",
        "window": ("2024-04-01", "2024-06-30"),
        "articles": [
            {"article": "第九条", "topic": "文明养犬", "category": "公共安全",
             "summary": "携犬出户应当束犬链、由成年人牵领，及时清理犬只粪便",
             "opinions": [
                 "支持第九条。建议把“应当束犬链”改为“必须使用长度不超过一点五米的犬链”，现在很多人用伸缩绳放得很长，跟没拴一样。",
                 "第九条只规定了清理粪便，没有规定犬只尿液的处理。建议增加“犬只在电梯、楼道等公共区域便溺的，应当立即清理”。",
                 "第九条的要求很好，但执法是关键。谁来查？城管还是公安？建议在条例里明确执法主体，不然又是没人管。",
                 "我养狗十年了，觉得第九条有些规定太严，比如凌晨遛狗也必须拴绳，如果是在没人的地方，能不能适当放宽？",
                 "建议第九条增加“大型犬出户应当佩戴嘴套”的规定，我们小区就有小孩被大狗咬过。",
                 "第九条第二款“及时清理”这个说法太模糊，建议改为“立即清理”，并规定违者罚款五十元至二百元。",
                 "建议政府在公园、小区多设置宠物便便箱，免费提供拾便袋，光靠罚不行，要给大家提供条件。这一条可以写进第九条。",
             ]},
            {"article": "第十二条", "topic": "机动车停放和消防通道", "category": "交通运输",
             "summary": "不得占用消防车通道、盲道、人行道停放机动车",
             "opinions": [
                 "第十二条写得好！我们小区消防通道天天被私家车堵着，上次救护车都进不来。建议对占用消防通道的车辆可以直接拖移。",
                 "建议将第十二条中'应当'改为'必须'，'不得占用消防车通道'要加上具体罚则，否则就是一句空话。",
                 "第十二条只说不得乱停，但是老小区根本没有车位，政府是不是也该想办法增加停车位？只罚不疏，老百姓有意见。",
                 "建议第十二条增加一款：住宅小区物业服务企业发现占用消防通道的，应当及时劝阻并报告，不能只让业主自己去管。",
                 "盲道被占用的情况非常严重，建议第十二条把“占用盲道”单独列出来，并明确由城管部门负责查处。",
                 "第十二条说“在人行道上停放机动车的，按照相关规定处罚”，“相关规定”是什么规定？建议写清楚。",
             ]},
            {"article": "第十五条", "topic": "公共场所噪声", "category": "环境保护",
             "summary": "在公园、广场等公共场所开展娱乐、健身活动，应当遵守规定的时段和音量",
             "opinions": [
                 "非常支持第十五条！建议把具体时间写进条例：晚上九点以后、早上七点以前禁止在公园广场使用音响设备。",
                 "第十五条对广场舞的规定只说“控制音量”，怎么算控制？建议写明分贝数，比如不超过六十分贝。",
                 "我是广场舞队的领队，我们也想遵守规定，希望政府在划定时段的同时，也给我们提供合适的活动场地，不要一刀切禁止。",
                 "建议第十五条增加“公园、广场管理单位应当设置噪声监测设施”，让大家自己看到音量是不是超标了。",
                 "第十五条把广场舞、户外唱歌都管了，但是商铺门口用大喇叭招揽生意的噪声没管，建议一并纳入。",
                 "第十五条的执法主体不明确，是公安还是城管还是公园管理处？建议明确。",
                 "建议在第十五条中把“应当遵守”改为“必须遵守”，并增加拒不改正的可以暂扣音响设备。",
             ]},
            {"article": "第十八条", "topic": "高空抛物", "category": "公共安全",
             "summary": "禁止从建筑物中抛掷物品；物业服务企业应当做好宣传和安全防范",
             "opinions": [
                 "高空抛物太危险了，支持第十八条。建议规定物业应当在高层住宅安装向上的监控摄像头。",
                 "第十八条只写了“禁止高空抛物”，建议增加“从阳台、窗户向外倾倒污水、抖落杂物”也属于禁止行为。",
                 "我们楼下经常有人扔烟头、果皮，第十八条出台后希望能真正查得到人，现在找不到是谁扔的，只能大家分摊。",
                 "建议第十八条明确，查不清具体侵权人时，公安机关应当依法调查，而不是让受害人自己去起诉整栋楼。",
                 "第十八条规定好是好，但阳台放花盆这一条要考虑老百姓的实际，很多老人喜欢养花，建议改为“应当采取防坠落措施”而不是一律禁止。",
             ]},
            {"article": "第二十一条", "topic": "电动自行车停放充电", "category": "公共安全",
             "summary": "禁止在楼道、楼梯间、安全出口等公共区域停放电动自行车或者为其充电",
             "opinions": [
                 "第二十一条非常必要，电动车进楼充电起火的事故太多了。建议同时规定小区必须配建充电设施，不然大家没地方充。",
                 "建议第二十一条增加“禁止携带电动自行车及其蓄电池进入电梯轿厢”，很多人把车推进电梯。",
                 "第二十一条说不得在楼道充电，那把电池拿回家充算不算违规？条例里应该说清楚。",
                 "我们老小区根本没有地方建充电桩，第二十一条一出台，大家都没地方充电了，建议给老旧小区一个过渡期。",
                 "支持第二十一条，同时建议对飞线充电也作出规定，从窗户拉电线下来比楼道充电还危险。",
                 "建议把第二十一条中的“物业服务企业应当劝阻”改为“物业服务企业应当劝阻并及时报告消防救援机构”。",
             ]},
            {"article": "第二十六条", "topic": "志愿服务和文明行为激励", "category": "民政",
             "summary": "鼓励志愿服务，对文明行为先进个人给予表彰和优待",
             "opinions": [
                 "第二十六条规定的激励措施可以更具体一点，比如志愿服务时长达到一定小时数，可以在公交出行、景区门票上给予优惠。",
                 "建议第二十六条增加对见义勇为人员的法律援助和医疗救治保障，不能让做好事的人流血又流泪。",
                 "第二十六条提到的“文明积分”，建议和信用体系挂钩，但要注意保护个人信息。",
                 "志愿服务应当是自愿的，第二十六条里“将志愿服务情况作为评优的参考”这句话，可能会变成变相强制，建议删除。",
             ]},
            {"article": "第三十五条", "topic": "法律责任和罚款", "category": "公共安全",
             "summary": "违反本条例有关规定的，由有关部门责令改正，处五十元以上二百元以下罚款",
             "opinions": [
                 "第三十五条的罚款太低了，五十元到二百元起不到震慑作用，建议提高到二百元到一千元。",
                 "不同意提高罚款。文明行为主要靠教育引导，第三十五条建议增加“初次违反且及时改正的，可以不予处罚”。",
                 "建议第三十五条增加“社区服务”作为替代处罚方式，让违规的人去做几个小时的志愿服务，比罚款更有教育意义。",
                 "第三十五条写的是“由有关部门”处罚，到底是哪个部门？建议逐条写清楚执法部门，避免互相推诿。",
                 "第三十五条应当区分个人和单位，单位违反的罚款应当更高，比如商铺占道经营、工地夜间施工。",
             ]},
        ],
        "gc": [
            ("柳湾立法观察点关于文明行为促进条例（草案）的座谈情况",
             "柳湾立法观察点于近日组织社区居民、物业代表、楼栋长等二十余人召开座谈会，就《某市文明行为促进条例（草案）》征求意见。与会人员普遍支持草案关于文明养犬、禁止高空抛物的规定；对第二十一条禁止电动自行车进楼充电，多数人认为应同步规定充电设施配建要求，并给予老旧小区过渡期；对第三十五条罚款数额，意见分歧较大。",
             "城北区柳湾立法观察点", "第二十一条"),
        ],
    },
    {
        "law": "某市物业管理条例（草案）",
        "category": "城乡建设",
        "window": ("2024-10-08", "2024-12-31"),
        "articles": [
            {"article": "第十条", "topic": "业主委员会选举", "category": "城乡建设",
             "summary": "业主大会的成立和业主委员会的选举由街道办事处、乡镇人民政府指导",
             "opinions": [
                 "第十条规定业主委员会选举由街道指导，建议改为“街道办事处应当在收到申请之日起六十日内组织筹备”，现在很多小区申请了好几年都成立不了。",
                 "业委会选举投票率太低是普遍问题，建议第十条允许采用电子投票方式，并认可电子投票的效力。",
                 "第十条应当规定业委会委员不得在本小区物业公司任职或者有利益关系，防止物业控制业委会。",
                 "建议第十条增加业委会成员的任职条件，比如必须按时缴纳物业费，不能有拖欠。",
                 "我们小区业委会换届拖了三年，第十条能不能规定到期不换届的，由街道直接组织换届？",
                 "第十条里“业主大会会议应当有专有部分面积占比三分之二以上的业主参与”门槛太高，建议降低到过半数。",
             ]},
            {"article": "第二十三条", "topic": "物业服务收费公示", "category": "城乡建设",
             "summary": "物业服务企业应当公示服务内容、收费标准和收支情况",
             "opinions": [
                 "非常支持第二十三条物业服务收费和收支情况公示的规定，建议明确“每半年公示一次”，并且要在小区公告栏和手机上同时公示。",
                 "第二十三条只要求公示收费标准，建议增加公示“公共收益”，比如电梯广告费、停车费，这些钱是业主的。",
                 "建议第二十三条规定，物业公司公示的收支情况业主有异议的，可以申请第三方审计，费用从公共收益中列支。",
                 "第二十三条中“物业服务企业应当公示”改为“必须公示”，并规定不公示的处罚，否则物业根本不会执行。",
                 "物业费的调价也应该在第二十三条中体现，物业涨价必须经业主大会同意。",
                 "我们小区物业费一年收一百多万，从来不公布花在哪里，第二十三条出台后希望能彻底改变。",
             ]},
            {"article": "第三十一条", "topic": "专项维修资金使用", "category": "城乡建设",
             "summary": "住宅专项维修资金的使用经业主“双三分之二”表决同意",
             "opinions": [
                 "第三十一条规定维修资金使用需要“双三分之二”同意，太难了！电梯坏了要修，根本凑不齐那么多人签字。建议紧急情况下简化程序。",
                 "建议第三十一条增加“应急使用”条款：电梯、消防设施等危及安全的紧急维修，经业委会或者居委会确认后可以直接使用维修资金。",
                 "第三十一条要加强维修资金使用的监督，防止物业虚报维修项目、抬高价格，建议维修工程超过一定金额必须招标。",
                 "维修资金的利息归谁？存在哪家银行？建议第三十一条规定每年向业主公布维修资金账户余额和收益。",
                 "我们老小区的维修资金早就用完了，第三十一条只说使用不说续筹，建议补充续筹的办法。",
             ]},
            {"article": "第三十八条", "topic": "电梯等共用设施设备维护", "category": "城乡建设",
             "summary": "物业服务企业应当对电梯、消防等共用设施设备定期维护",
             "opinions": [
                 "第三十八条应当明确电梯困人的救援时限，比如“接到报警后三十分钟内到达现场”。",
                 "建议第三十八条规定，物业服务企业应当每月公示电梯维保记录，让业主知道电梯有没有按时保养。",
                 "电梯是老小区最头疼的问题，第三十八条写了物业负责维护，但是电梯超过十五年要不要强制更新？建议作出规定。",
                 "建议将第三十八条中“定期维护”修改为“按照国家标准每十五日至少维护保养一次”。",
                 "第三十八条还应当包括二次供水设施、消防设施的维护，不光是电梯。",
                 "支持第三十八条。我们小区电梯经常坏，物业总是推给维保公司，条例要写清楚物业是第一责任人。",
             ]},
            {"article": "第四十二条", "topic": "物业服务企业退出交接", "category": "城乡建设",
             "summary": "物业服务合同终止的，原物业服务企业应当在规定期限内退出并办理交接",
             "opinions": [
                 "第四十二条规定物业服务合同终止后原物业应当在十五日内退出，但很多物业赖着不走，建议规定拒不退出的可以由街道组织接管。",
                 "建议第四十二条要求原物业在退出时移交全部资料，包括图纸、设备台账、业主信息，并明确移交清单。",
                 "第四十二条应当规定新旧物业交接期间的服务不能中断，不然垃圾没人收、电梯没人管。",
                 "物业退出时拖欠的维修款、预收的物业费怎么处理？第四十二条应当写清楚。",
             ]},
            {"article": "第五十条", "topic": "装修管理", "category": "城乡建设",
             "summary": "装修施工时间、装修垃圾清运和禁止行为",
             "opinions": [
                 "第五十条规定装修时间为工作日8:00至12:00、14:00至18:00，建议周末全天禁止噪声装修。",
                 "第五十条对装修垃圾的规定不明确，建议规定物业必须设置装修垃圾临时堆放点并及时清运。",
                 "建议第五十条禁止拆改承重墙的规定要加上罚则，并且物业发现后应当立即报告住建部门。",
                 "第五十条装修押金的收取和退还应当写清楚，很多物业收了押金就不退。",
                 "第五十条里周末可以装修半天的规定我不同意，上班族只有周末能休息，建议周六周日全天禁止。",
             ]},
        ],
        "gc": [
            ("东湖立法观察点物业管理条例（草案）意见汇总",
             "东湖立法观察点在湖滨街道、东湖街道的六个小区组织意见征集，共收集对《某市物业管理条例（草案）》的意见四十三条。其中反映最集中的是第三十一条维修资金使用程序繁琐，群众建议增加电梯、消防等紧急维修的应急使用程序；其次是第二十三条收费公示，建议将停车费、广告费等公共收益一并公示。",
             "东湖区东湖立法观察点", "第三十一条"),
        ],
    },
    {
        "law": "某市养老服务条例（草案）",
        "category": "民政",
        "window": ("2025-05-06", "2025-08-15"),
        "articles": [
            {"article": "第八条", "topic": "社区养老服务设施配建", "category": "民政",
             "summary": "新建住宅小区按每百户不少于二十平方米配建社区养老服务设施",
             "opinions": [
                 "第八条规定新建住宅小区按每百户不少于二十平方米配建养老服务设施，建议老旧小区也要通过购置、租赁等方式补足，不能只管新小区。",
                 "建议第八条明确配建的养老服务设施必须无偿移交给街道或社区使用，不得挪作他用。",
                 "我们小区的养老用房被开发商改成了售楼处，第八条出台后这种情况谁来查？建议明确监督部门。",
                 "第八条中的配建标准“每百户二十平方米”偏低，建议提高到三十平方米。",
                 "支持第八条，建议养老服务设施尽量设置在一楼，方便老人进出，不能放在地下室或者高楼层。",
             ]},
            {"article": "第十六条", "topic": "老年助餐和社区食堂", "category": "民政",
             "summary": "发展社区老年食堂和助餐点，对高龄、困难老年人给予助餐补贴",
             "opinions": [
                 "非常支持第十六条发展社区老年食堂。我们社区的老年食堂一顿饭十二块钱，好吃又实惠，希望每个社区都有。",
                 "第十六条规定对八十周岁以上老人给予助餐补贴，建议把年龄降到七十五周岁，很多七十多岁的独居老人也做饭困难。",
                 "社区食堂离家远的老人来不了，建议第十六条增加“为行动不便的老年人提供送餐上门服务”。",
                 "建议第十六条明确老年食堂的食品安全监管责任，老年人肠胃弱，吃出问题就是大事。",
                 "第十六条的助餐补贴怎么发？建议直接补到老人的卡上，而不是补给食堂，防止食堂套取补贴。",
                 "我们农村地区没有老年食堂，第十六条能不能考虑农村的情况，支持村里办“幸福餐桌”？",
             ]},
            {"article": "第二十条", "topic": "居家养老上门服务", "category": "民政",
             "summary": "为居家老年人提供助餐、助洁、助浴、助医等上门服务",
             "opinions": [
                 "第二十条规定的上门服务项目建议增加助浴、理发、陪同就医，这些是失能老人最需要的。",
                 "上门服务人员的资质怎么保障？建议第二十条规定上门服务人员必须经过培训持证上岗，并进行背景审查。",
                 "第二十条中“有条件的地区可以提供家庭养老床位”，这个“有条件”太模糊了，建议明确纳入政府购买服务范围。",
                 "我父亲瘫痪在床，每个月政府购买服务只有八小时，根本不够，希望第二十条能提高服务时长。",
                 "建议第二十条增加上门服务的投诉渠道和质量评价机制，服务不好老人和家属可以评价。",
             ]},
            {"article": "第二十七条", "topic": "养老机构收费", "category": "民政",
             "summary": "养老机构应当公示收费项目和标准，不得擅自提高收费",
             "opinions": [
                 "养老院收费太高了，一个月五六千，退休金才三千多，第二十七条应当对公办养老机构的收费标准作出限制。",
                 "建议第二十七条规定养老机构的收费项目和标准必须在显著位置公示，并且一年内不得随意涨价。",
                 "第二十七条只说收费应当公示，但押金收多少没有规定，有的养老院一次性收十几万押金，建议规定押金上限。",
                 "建议第二十七条对预收费进行监管，防止养老机构收了钱跑路，可以借鉴预付卡的资金存管制度。",
                 "支持第二十七条。公办养老院排队要排好几年，收费低但进不去，建议增加“优先保障特困、失能老人”的规定。",
             ]},
            {"article": "第三十三条", "topic": "养老护理员队伍建设", "category": "民政",
             "summary": "加强养老护理员培训，完善薪酬待遇和职业发展",
             "opinions": [
                 "养老护理员工资低、工作累，没人愿意干。第三十三条建议规定护理员的最低工资标准和入职补贴。",
                 "建议第三十三条建立护理员职业技能等级与薪酬挂钩的制度，干得好的护理员应当有晋升空间。",
                 "第三十三条可以增加对养老护理专业的学生给予学费减免的规定，吸引年轻人进入这一行。",
                 "我在养老院做护理员六年了，每天工作十二个小时，希望第三十三条能保障我们的休息权。",
             ]},
            {"article": "第四十条", "topic": "失能老人照护补贴", "category": "民政",
             "summary": "对经济困难的失能老年人给予照护补贴",
             "opinions": [
                 "第四十条规定的失能老人照护补贴每月三百元太少了，请一个护工一个月要五六千，建议提高标准。",
                 "建议第四十条明确失能等级评估的机构和程序，评估结果要公开透明，有异议可以申请复评。",
                 "第四十条应当把家庭成员照护也纳入补贴范围，很多子女辞职在家照顾老人，没有收入。",
                 "建议将第四十条中的'可以给予补贴'改为'应当给予补贴'。不然到时候各区执行起来都不一样。",
                 "希望第四十条的补贴能惠及非本市户籍但长期在本市居住的老人，他们的子女都在本市工作纳税。",
             ]},
        ],
        "gc": [
            ("柳湾立法观察点养老服务条例（草案）征求意见情况",
             "柳湾立法观察点组织辖区老年人、社区老年食堂经营者、居家养老服务机构代表召开座谈会，就《某市养老服务条例（草案）》征求意见。意见集中在第十六条老年助餐：建议将助餐补贴年龄由八十周岁降至七十五周岁，增加送餐上门服务，补贴直接发放至老人账户。另有代表建议第四十条提高失能老人照护补贴标准。",
             "城北区柳湾立法观察点", "第十六条"),
        ],
    },
]

# =====================================================================
# One-off records on many other topics (each a single, unrelated case).
# (kind code, region, category, title, content, handling department)
# RX 12345热线, YJ 意见建议, XF 信访, DB 代表建议, QT 其他, GC 其他 (联络站/观察点报告)
# =====================================================================

ONE_OFFS = [
    # ---- 教育文体
    ("YJ", "高新区", "教育文体", "建议高新区增设公办幼儿园",
     "高新区这几年新建小区很多，年轻家庭多，但公办幼儿园太少了，我们小区周边三公里只有一所，报名要摇号，私立幼儿园一个月三四千，负担不起。建议加快配建公办幼儿园。", "高新区教育局"),
    ("RX", "江南区", "教育文体", "咨询学校课后服务收费",
     "孩子在江南区实验小学上学，学校通知课后服务每学期收费六百元，想问一下这个收费标准是谁定的，有没有文件依据？不参加可不可以？", "江南区教育局"),
    ("XF", "城北区", "教育文体", "培训机构关门跑路，学费退不了",
     "我在城北区一家叫启航教育的培训机构给孩子交了一万二的课时费，上了不到十节课机构就关门了，老板联系不上。周围还有几十个家长都是这种情况，请有关部门帮我们追回学费。", "城北区市场监管局"),
    ("YJ", "东湖区", "教育文体", "建议学校操场周末向社区开放",
     "东湖区很多学校都有标准操场，周末和假期都锁着门，而周边居民没有地方锻炼。建议在保障安全的前提下，学校操场在节假日向社区居民开放，实行预约登记。", "东湖区教育局"),
    ("RX", "临河县", "教育文体", "三河镇中心小学没有校车",
     "我家在临河县三河镇，孩子在镇中心小学读书，离家八里路，没有校车，每天家长骑摩托车接送，刮风下雨很不安全。希望县里能开通校车。", "临河县教育局"),
    ("DB", "青山区", "教育文体", "关于加强中小学生心理健康教育的建议",
     "近年来中小学生心理问题呈上升趋势，部分学校心理健康教师配备不足，兼职教师专业能力有限。建议：一是按照师生比配齐专职心理健康教师；二是建立学生心理健康筛查和预警机制；三是加强家校协同，定期开展家长心理健康知识培训；四是将心理健康教育纳入教师继续教育必修内容。", "市教育局"),
    ("YJ", "江南区", "教育文体", "区图书馆开放时间太短",
     "江南区图书馆晚上六点就关门，上班族根本没时间去。建议延长到晚上九点，周一闭馆也可以调整一下，改成轮休。", "江南区文旅局"),
    ("RX", "高新区", "教育文体", "小学入学户籍咨询",
     "我们是去年在高新区买的房，户口还没迁过来，孩子明年上小学，请问能不能在云杉路小学报名？需要准备哪些材料？", "高新区教育局"),
    ("YJ", "城北区", "教育文体", "城北区缺少体育场馆",
     "城北区人口三十多万，连一个像样的体育馆都没有，打篮球、游泳都要跑到江南区去。建议在规划中预留全民健身中心用地。", "城北区文旅体育局"),
    ("XF", "东湖区", "教育文体", "民办初中开学前突然涨学费",
     "东湖区一所民办初中今年学费从每学期一万八涨到两万四，开学前一周才通知，家长没有选择余地。请问民办学校涨价是否需要备案审批？", "东湖区教育局"),
    ("RX", "青山区", "教育文体", "校外托管机构无证经营",
     "青山区松林街有一家小饭桌托管，一套三居室里挤了三十多个孩子，中午在里面吃饭午睡，没有消防设施，也不知道有没有资质，家长很担心。", "青山区市场监管局"),
    ("YJ", "临河县", "教育文体", "建议乡镇中学配齐英语和音乐老师",
     "临河县杨柳镇中学英语老师只有两个，要教六个班，音乐美术课基本都上成了自习。希望县里通过交流轮岗、定向招聘给乡镇学校补齐老师。", "临河县教育局"),
    # ---- 卫生健康
    ("RX", "青山区", "卫生健康", "社区卫生服务中心药品不全",
     "青山区湖光街道社区卫生服务中心很多慢性病常用药都没有，我的降压药每次都要跑到市里的大医院开，来回半天时间。希望社区医院能配齐常用药。", "青山区卫健委"),
    ("YJ", "江南区", "卫生健康", "建议医院增加夜间门诊",
     "上班族看病难，白天请假扣钱，江南区人民医院能不能开设夜间门诊，至少儿科、内科晚上开到九点。", "江南区卫健委"),
    ("XF", "城北区", "卫生健康", "手术后感染，要求封存病历鉴定",
     "我父亲今年三月在城北区一家医院做胆囊手术，术后出现感染，医院一直说是正常并发症，但病历上有明显的涂改痕迹。我要求封存病历，进行医疗事故鉴定。", "城北区卫健委"),
    ("RX", "高新区", "卫生健康", "HPV疫苗一直约不上",
     "想给女儿预约九价HPV疫苗，高新区几个社区医院小程序上天天显示约满，打电话也约不上，是不是疫苗缺货？什么时候能到？", "高新区卫健局"),
    ("RX", "临河县", "卫生健康", "村卫生室半年没有医生",
     "临河县杨柳镇西湾村卫生室已经半年没有医生坐诊了，老人量个血压都要去镇上，希望县卫健局给村里派个医生。", "临河县卫健局"),
    ("YJ", "东湖区", "卫生健康", "建议公共场所配备AED",
     "建议在东湖区的地铁站、商场、公园等人员密集场所配备AED除颤仪，并对保安、工作人员开展急救培训。前段时间听说有人在商场突然倒地，就是因为没有及时除颤没救过来。", "东湖区卫健委"),
    ("RX", "江南区", "卫生健康", "医保异地就医备案咨询",
     "我父母退休后去外地跟着我弟弟住，想问医保异地就医备案怎么办理？能不能在手机上办？备案以后在外地住院能直接结算吗？", "市医保局"),
    ("DB", "东湖区", "卫生健康", "关于推进社区卫生服务中心标准化建设的建议",
     "东湖区部分社区卫生服务中心业务用房面积不足、设备老旧、全科医生短缺，群众“小病进社区”的意愿不强。建议加大投入，按标准改造业务用房，配齐常用检查设备和慢性病药品目录，完善家庭医生签约服务激励机制，并推动上级医院专家定期下沉坐诊。", "东湖区卫健委"),
    ("RX", "城北区", "卫生健康", "市二医院停车难造成道路拥堵",
     "市二医院门口停车太难了，排队进停车场要一个多小时，车一直排到马路上，造成工人路堵车。建议医院周边增设临时停车场，或者引导患者坐公交。", "市卫健委"),
    ("YJ", "青山区", "卫生健康", "社区医院能否开设中医理疗",
     "我有腰椎间盘突出，每周要做两次针灸理疗，大医院排队太久。建议青山区的社区卫生服务中心开设中医理疗科室，方便我们老年人就近治疗。", "青山区卫健委"),
    ("XF", "高新区", "卫生健康", "医美机构手术失败拒不赔偿",
     "我在高新区一家医疗美容诊所做了双眼皮手术，术后两只眼睛明显不对称，还有疤痕增生。诊所说是我个人体质问题，拒绝退款和修复。请卫健部门查一下这家诊所和医生的资质。", "高新区卫健局"),
    # ---- 商贸旅游 / 市场监管
    ("XF", "江南区", "商贸旅游", "健身房突然关门，年卡无法退费",
     "江南区万象广场的一家健身房上个月突然关门，我办的年卡还有八个月，三千多块钱。门口贴了个装修通知，老板电话打不通。请市场监管部门介入。", "江南区市场监管局"),
    ("RX", "东湖区", "商贸旅游", "超市销售过期酸奶",
     "今天在东湖区湖心路一家连锁超市买的酸奶，回家发现已经过期五天了，去找超市只愿意退钱，不愿意按规定赔偿。", "东湖区市场监管局"),
    ("YJ", "高新区", "商贸旅游", "建议规范共享充电宝收费",
     "现在共享充电宝一小时四五块，有的景区一小时八块，封顶还要九十九，建议市场监管部门规范一下收费标准，至少要明码标价。", "市市场监管局"),
    ("YJ", "临河县", "商贸旅游", "发展乡村旅游的建议",
     "临河县有河有山，湿地、古渡口这些地方风景很好，但是没有停车场、公厕，游客来了没地方吃饭。建议县里统一规划，支持村民开农家乐，把乡村旅游搞起来。", "临河县文旅局"),
    ("RX", "江南区", "商贸旅游", "夜游船票价过高",
     "江南区江边夜游船成人票一百二十八元，儿童也要八十八，同样的线路外地才五六十。请物价部门核实一下定价是否合理。", "江南区发改局"),
    ("XF", "城北区", "商贸旅游", "装修公司收款后停工",
     "去年我和城北区一家装修公司签了全包合同，付了百分之七十的款，结果只做完水电就停工了，公司换了地址，客服一直推脱。现在房子没法住，我还在外面租房。", "城北区市场监管局"),
    ("RX", "高新区", "商贸旅游", "外卖店无证经营卫生差",
     "外卖平台上高新区创新大道附近一家麻辣烫店，我按地址去看了一下，是在居民楼里做的，厨房很脏，没有看到营业执照和食品经营许可证。", "高新区市场监管局"),
    ("RX", "青山区", "商贸旅游", "加油站加油量不足",
     "我在青山大道一个加油站加了四十升油，油箱明显没有加满，怀疑加油机计量有问题，请质监部门来检测一下。", "青山区市场监管局"),
    ("YJ", "东湖区", "商贸旅游", "建议东湖景区增设停车场",
     "节假日东湖景区周边停车太难，车都停到东湖大道上去了，交通也堵。建议景区周边增设立体停车场，同时开通旅游专线公交。", "东湖区文旅局"),
    ("RX", "江南区", "商贸旅游", "理发店办卡后转让拒不认账",
     "我在江南区望江路一家理发店办了两千元的会员卡，用了不到三百，店铺转让给别人了，新老板说不认之前的卡，老老板联系不上。", "江南区市场监管局"),
    ("DB", "高新区", "商贸旅游", "关于规范预付式消费的建议",
     "近年来健身、美容、教育培训等行业预付式消费纠纷多发，经营者卷款跑路、变更主体拒不履约等问题突出，消费者维权成本高。建议制定本市预付式消费管理办法，推行预收资金第三方存管，设定单次预付金额上限，建立经营者信用档案和黑名单制度。", "市商务局"),
    # ---- 劳动和社会保障（与灵活就业缴费无关）
    ("RX", "江南区", "劳动和社会保障", "公司不签劳动合同也不交社保",
     "我在江南区一家餐饮公司上班三个月了，公司一直不跟我签劳动合同，也不交社保，请问我该怎么维权？", "江南区人社局"),
    ("RX", "东湖区", "劳动和社会保障", "退休金调整补发时间咨询",
     "今年的基本养老金调整什么时候发放？我是企业退休人员，听说要补发上半年的，想问一下具体什么时候到账。", "市人社局"),
    ("YJ", "城北区", "劳动和社会保障", "建议设立规范的零工市场",
     "城北区北环路口每天早上都有很多人站在路边等活，风吹日晒的。建议设立规范的零工市场，提供休息场所和岗位信息发布。", "城北区人社局"),
    ("XF", "临河县", "劳动和社会保障", "工伤认定迟迟没有结果",
     "我丈夫在临河县一家砖厂上班时被机器压伤了手，已经提交了工伤认定申请三个多月了，到现在都没有结果，厂里也不给垫付医药费。", "临河县人社局"),
    ("RX", "青山区", "劳动和社会保障", "失业保险金网上申领失败",
     "我上个月被公司裁员了，想申请失业保险金，请问需要什么材料？网上办理总是提示信息不匹配，是什么原因？", "青山区人社局"),
    ("DB", "高新区", "劳动和社会保障", "关于保障新就业形态劳动者权益的建议",
     "高新区集聚了大量网约配送员、网约车司机等新就业形态劳动者，普遍存在劳动关系认定难、职业伤害保障不足、休息权难以保障等问题。建议推动平台企业落实职业伤害保障，建设“骑手驿站”等服务阵地，畅通劳动争议调解渠道。", "高新区人社局"),
    ("RX", "高新区", "劳动和社会保障", "试用期被辞退不给工资",
     "我在高新区一家科技公司试用期干了二十天，公司说我不符合录用条件让我走人，二十天的工资一分不给，说试用期没满一个月不算。这合法吗？", "高新区人社局"),
    ("RX", "城北区", "劳动和社会保障", "住房公积金提取咨询",
     "我想提取住房公积金用来付房租，请问每个月能取多少？需要提供租房合同吗？我在手机上没找到入口。", "市住房公积金管理中心"),
    # ---- 民政
    ("RX", "青山区", "民政", "高龄津贴一直没有发放",
     "我母亲今年满八十周岁了，听说有高龄津贴，但是一直没有收到，社区说要自己申请，申请了两个月还没发。", "青山区民政局"),
    ("XF", "东湖区", "民政", "低保资格被取消请求重新审核",
     "我家是低保户，我丈夫重病在床，我一个人打零工。今年复核的时候说我家有一辆车就把低保取消了，那是一辆十几年的旧面包车，是用来拉货维持生计的。请求重新审核。", "东湖区民政局"),
    ("RX", "城北区", "民政", "残疾人两项补贴停发",
     "我是二级肢体残疾，每个月的护理补贴从三月份开始就没到账了，问了社区说是系统问题，到现在也没解决。", "城北区民政局"),
    ("YJ", "临河县", "民政", "关注农村留守儿童",
     "我们村年轻人都出去打工了，很多孩子跟着爷爷奶奶，作业没人辅导，放假就是玩手机。建议县里在村里办“儿童之家”，请志愿者来陪伴孩子。", "临河县民政局"),
    ("YJ", "江南区", "民政", "建议婚姻登记处周末开放",
     "很多年轻人想挑个周末的好日子去领证，但婚姻登记处周末不上班。建议江南区婚姻登记处每月开放一两个周末，或者预约办理。", "江南区民政局"),
    ("QT", "青山区", "民政", "感谢湖光街道网格员",
     "感谢青山区湖光街道社区工作人员，我家老人独居，上个月摔倒在家，是网格员上门走访时发现的，及时送到医院。特此表示感谢！", None),
    ("QT", "东湖区", "其他", "表扬12345热线接线员",
     "上周打12345反映楼下下水道堵塞，接线员态度特别好，第二天就有人来疏通了，效率很高，点个赞！希望继续保持。", None),
    ("RX", "高新区", "民政", "养老院护工态度恶劣",
     "我父亲住在高新区一家民办养老院，上周去探望发现他身上有淤青，问护工说是自己摔的，态度还很不好。请民政部门去查一下这家养老院的管理。", "高新区社会事业局"),
    # ---- 城乡建设 / 住房
    ("XF", "高新区", "城乡建设", "云顶雅苑项目停工，要求复工交房",
     "我在高新区云顶雅苑买的房子，合同约定2023年底交房，现在工地停工一年多了，开发商说资金链断了。我们每个月还要还房贷，还要租房住。请政府协调复工。", "高新区住建局"),
    ("RX", "东湖区", "城乡建设", "小区二次供水水压不足",
     "东湖区梧桐苑小区高层住户每天晚上用水高峰水压很低，热水器都打不着火，物业说是二次供水设备老化，一直没有维修。", "东湖区住建局"),
    ("YJ", "青山区", "城乡建设", "老旧小区加装电梯协调难",
     "青山区很多八九十年代的老小区没有电梯，住在五六楼的老人上下楼困难。加装电梯政策有了，但是一楼住户反对就装不成。建议政府出台更细的协调办法和补贴。", "青山区住建局"),
    ("RX", "江南区", "城乡建设", "小区停车费大幅上涨",
     "江南区望江华庭小区物业通知地面停车费从每月一百五涨到三百，没有开业主大会，也没有公示，请问这样合规吗？", "江南区发改局"),
    ("XF", "城北区", "城乡建设", "征收补偿标准过低",
     "我家在城北区铁路新村的房子被列入征收范围，评估价每平方米比周边二手房低了将近三千元，我们要求重新评估，征收办一直不回复。", "城北区房屋征收办"),
    ("RX", "高新区", "城乡建设", "新房卫生间漏水开发商不修",
     "我去年在高新区星辰华府收的房，卫生间往楼下漏水，楼下邻居天花板都泡了，开发商售后一直说排期，已经拖了两个月。", "高新区住建局"),
    ("YJ", "东湖区", "城乡建设", "建议增加公租房供应",
     "东湖区公租房排队要等三四年，我们这些外来务工的年轻人房租占了工资一半。建议多建一些保障性租赁住房，降低申请门槛。", "东湖区住建局"),
    ("RX", "临河县", "城乡建设", "农村危房改造申请咨询",
     "我家在临河县石门村，老房子是土坯房，墙已经裂了好几道缝，想申请危房改造补助，请问要找谁办？需要什么条件？", "临河县住建局"),
    ("DB", "江南区", "城乡建设", "关于推进既有住宅加装电梯的建议",
     "江南区现有无电梯老旧住宅约八百栋，居住老年人比例高。加装电梯工作中存在低层住户意见难统一、审批环节多、资金筹集难等问题。建议简化审批流程，推行“一站式”办理；提高财政补贴标准；探索以租代购、分期付款等模式；建立社区协商议事机制化解邻里矛盾。", "江南区住建局"),
    ("RX", "青山区", "城乡建设", "物业擅自占用公共绿地建停车位",
     "青山区松林苑小区物业把中心花园的一块绿地铲了，铺上水泥改成停车位收费，没有征求业主意见。请问这样做合法吗？", "青山区住建局"),
    ("RX", "城北区", "城乡建设", "暖气不热",
     "城北区北苑小区今年供暖以来家里温度只有十五六度，物业说是管道问题，热力公司说是小区内部问题，两边推来推去。", "城北区住建局"),
    # ---- 交通运输（与12路改线无关）
    ("YJ", "高新区", "交通运输", "建议增开地铁站接驳公交",
     "高新区创新大道地铁站离产业园还有三公里，早晚高峰打不到车，共享单车也抢不到。建议开通地铁站到产业园的接驳公交。", "市交通运输局"),
    ("RX", "江南区", "交通运输", "路口红绿灯行人时间太短",
     "江南大道和樱花街路口行人绿灯只有十五秒，老人走到一半就变红灯了，非常危险，建议延长行人通行时间。", "江南区公安分局交警大队"),
    ("YJ", "东湖区", "交通运输", "共享单车乱停放",
     "东湖区地铁口共享单车堆成山，盲道、人行道全被占了，推着婴儿车根本过不去。建议规划停车区域，并要求运营公司及时清运。", "东湖区城管局"),
    ("RX", "临河县", "交通运输", "农村公路破损严重",
     "临河县东坝村到镇上的那条水泥路坑坑洼洼，有的坑有半米深，下雨天全是水，前几天还有人骑摩托车摔伤了，希望尽快修一修。", "临河县交通运输局"),
    ("DB", "城北区", "交通运输", "关于优化北站交通枢纽接驳的建议",
     "北站交通枢纽日均客流量大，但出租车、网约车、公交接驳区域设置分散，标识不清，旅客换乘步行距离长，高峰时段周边道路拥堵严重。建议优化枢纽交通组织，集中设置网约车上下客区，增设换乘指引标识，延长夜间接驳公交运营时间。", "市交通运输局"),
    ("RX", "青山区", "交通运输", "出租车拒载",
     "昨天晚上十点在青山区汽车站门口打车去临河县，连续三辆出租车都说不去，还有一辆要求不打表一口价两百元。", "市交通运输局"),
    ("YJ", "江南区", "交通运输", "建议设置非机动车道隔离护栏",
     "江南大道非机动车道和机动车道之间没有隔离，汽车经常压线行驶，骑电动车的人很危险。建议加装隔离护栏。", "江南区公安分局交警大队"),
    ("RX", "高新区", "交通运输", "创新大道路口信号灯故障",
     "创新大道与云杉路路口的红绿灯从早上开始一直黄灯闪烁，路口车辆抢行，差点发生事故，请尽快修复。", "高新区公安分局交警大队"),
    ("XF", "东湖区", "交通运输", "违章停车罚单有误",
     "我收到一张违章停车的罚单，地点是东湖大道，但是那天我的车一整天都停在单位地下车库，有监控可以证明。申请复核了一个月，还没有结果。", "东湖区公安分局交警大队"),
    # ---- 环境保护
    ("RX", "高新区", "环境保护", "科技园附近夜间刺鼻异味",
     "高新区东区科技园附近每天晚上都有一股刺鼻的化学气味，怀疑是某个企业偷排废气，晚上关窗睡觉都能闻到。", "高新区生态环境分局"),
    ("RX", "临河县", "环境保护", "秸秆焚烧烟雾大",
     "这几天临河县城关镇周边好多地方在烧秸秆，浓烟滚滚，县城里都能闻到烟味，高速上能见度也很低。", "临河县生态环境分局"),
    ("YJ", "东湖区", "环境保护", "东湖南岸水质变差",
     "东湖南岸这一段最近水发绿，有死鱼，夏天有臭味，散步的人都绕着走了。建议加强治理，查一查是不是有污水直排。", "东湖区生态环境分局"),
    ("RX", "江南区", "环境保护", "垃圾分类投放点臭味大",
     "江南区樱花里小区的垃圾分类投放点就设在我家楼下，夏天臭气熏天，苍蝇蚊子特别多，厨余垃圾桶一天只清一次。", "江南区城管局"),
    ("XF", "临河县", "环境保护", "养猪场臭气和污水",
     "临河县三河镇石门村附近新建了一个养猪场，离村子不到五百米，天天臭味熏人，污水直接排进旁边的水沟，流到村里的池塘里。", "临河县生态环境分局"),
    ("YJ", "青山区", "环境保护", "建议多建口袋公园",
     "青山区老城区人口密集，居民附近没有能散步的地方。建议利用边角地、闲置地建一些口袋公园，放几张座椅、种点树，老人孩子都有个去处。", "青山区园林局"),
    ("RX", "城北区", "环境保护", "工厂夜间排放黑烟",
     "城北区工人路北边有一家铸造厂，每天半夜烟囱冒黑烟，早上起来阳台上一层黑灰。请环保部门夜间突击检查。", "城北区生态环境分局"),
    ("YJ", "江南区", "环境保护", "江边步道垃圾桶太少",
     "江南区江边步道五公里长只有几个垃圾桶，周末游客多，垃圾到处扔。建议每隔两百米放一组分类垃圾桶，并增加保洁频次。", "江南区城管局"),
    # ---- 公共安全
    ("RX", "东湖区", "公共安全", "接到冒充客服诈骗电话",
     "刚刚接到一个自称快递客服的电话，说我的包裹丢了要理赔，让我下载一个会议软件共享屏幕。我觉得是诈骗，挂了，想反映一下，提醒其他人。", "东湖区公安分局"),
    ("RX", "江南区", "公共安全", "小区门禁形同虚设",
     "江南区江南春晓小区的门禁坏了半年了，大门一直敞开，外卖、推销的随便进，前段时间还有几户人家电动车电瓶被偷。", "江南区公安分局"),
    ("YJ", "高新区", "公共安全", "建议地下通道安装监控和照明",
     "高新区云杉路下穿通道晚上灯光昏暗，没有监控，女孩子晚上不敢走。建议增加照明和监控设施，并安排巡逻。", "高新区公安分局"),
    ("RX", "青山区", "公共安全", "燃气管道有异味",
     "青山区湖光小区6栋楼道里有一股燃气味，已经好几天了，担心管道泄漏，请燃气公司尽快来检查。", "青山区城管局"),
    ("XF", "城北区", "公共安全", "邻居私自改建阳台存在安全隐患",
     "我楼上的邻居把阳台外墙拆了往外扩建了一米多，用的是钢架和彩钢板，刮大风的时候哗哗响，我们担心随时会掉下来。", "城北区城管局"),
    ("RX", "临河县", "公共安全", "河边缺少防护栏和警示牌",
     "临河县河滨大道那段河堤没有防护栏，夏天很多孩子在河边玩水，去年就有孩子溺水。请在河边设置护栏和警示牌。", "临河县水利局"),
    # ---- 农村农业
    ("XF", "临河县", "农村农业", "土地流转租金拖欠两年",
     "我们村有三十多户把土地流转给一家农业公司种果树，合同约定每年每亩六百元租金，这家公司已经拖欠两年了，老板说果树还没挂果没钱。", "临河县农业农村局"),
    ("RX", "临河县", "农村农业", "耕地地力保护补贴未到账",
     "我家在临河县杨柳镇，今年的耕地地力保护补贴别人家都到了，就我家没有，去镇上问说是银行账户有问题，让等通知。", "临河县农业农村局"),
    ("DB", "临河县", "农村农业", "关于支持临河县特色农产品品牌建设的建议",
     "临河县的水产、莲藕、土鸡蛋等特色农产品品质好，但品牌知名度低，多以初级产品低价销售。建议设立农产品品牌建设专项资金，支持合作社申请地理标志，建设冷链物流和电商服务站，帮助农户拓宽销路、增加收入。", "临河县农业农村局"),
    ("YJ", "临河县", "农村农业", "建议统一收购村里的蔬菜",
     "今年临河县好多村的大白菜丰收了，但是收购价几毛钱一斤，烂在地里也没人要。建议政府牵线对接超市和学校食堂，搞订单农业。", "临河县农业农村局"),
    # ---- 其他（联络站、观察点工作报告）
    ("GC", "高新区", "其他", "科创园区基层立法联系点季度工作情况",
     "本季度科创园区基层立法联系点共组织立法意见征集活动三次，参与企业十二家、职工代表六十余人，收集意见建议五十一条。企业职工关注的热点集中在人才住房、子女入学、通勤交通等方面，已分类转交有关部门。", None),
    ("GC", "临河县", "其他", "双桥镇人大代表联络站接待选民情况",
     "双桥镇人大代表联络站本月开展代表接待日活动两次，接待选民二十七人次，收集问题十四件，涉及农村饮水、道路维修、土地流转、低保申请等方面。其中当场答复六件，转交镇政府及有关部门办理八件。", None),
    ("QT", "江南区", "其他", "滨江街道代表联络站服务很好",
     "上个月去滨江街道的代表联络站反映了楼道杂物堆放的问题，代表当场就联系了社区，一个礼拜就清理干净了，还回访了我，感谢！", None),
    ("QT", "城北区", "其他", "咨询如何联系本区人大代表",
     "想问一下，我们城北区的人大代表怎么联系？有什么问题想直接跟代表说，是不是要去联络站？联络站什么时间有代表值班？", None),
    ("QT", "临河县", "其他", "感谢县水利局及时抢修",
     "前几天暴雨我们村口的排水渠堵了，水漫到了路上，打电话第二天县水利局就派人来抢修了，感谢工作人员冒雨作业！", None),
]

# Same person petitioning three times about unpaid wages (not a recurring issue,
# but a near-duplicate group), and a 3-letter campaign about the stalled estate.
ONEOFF_DUPS = [
    {"note": "同一农民工三次反映拖欠工资", "same_user": True, "gap": (18, 30),
     "region": "高新区", "category": "劳动和社会保障", "depts": ["高新区人社局"],
     "window": ("2024-11-05", "2025-01-20"), "title": "农民工工资被拖欠",
     "items": [
         ("信访", "我在高新区创新大道一个厂房工地干了半年木工，包工头拖欠我们二十三个人的工资共四十一万元，说是总包单位没给钱。年底了我们都等着这笔钱回家过年，请政府帮帮我们农民工。"),
         ("12345热线", "我在高新区创新大道一个厂房工地干了半年木工，包工头拖欠我们二十三个人的工资共四十一万元，说是总包单位没给钱。上次反映后劳动监察来了解过情况，但钱到现在还没拿到。请政府帮帮我们农民工。"),
         ("信访", "我在高新区创新大道一个厂房工地干了半年木工，包工头拖欠我们二十三个人的工资共四十一万元，说是总包单位没给钱。这已经是第三次反映了，马上就过年了，请政府帮帮我们农民工！"),
     ]},
    {"note": "云顶雅苑业主联名信（复制粘贴）", "same_user": False, "gap": (0, 2),
     "region": "高新区", "category": "城乡建设", "depts": ["高新区住建局"],
     "window": ("2025-03-01", "2025-04-30"), "title": "云顶雅苑业主恳请政府协调项目复工",
     "items": [
         ("信访", "我们是高新区云顶雅苑项目的购房业主。项目停工已超过一年，开发商资金链断裂，业主每月承担房贷和房租双重压力。恳请政府成立工作专班，盘活项目，尽快复工交房。云顶雅苑3号楼业主"),
         ("信访", "我们是高新区云顶雅苑项目的购房业主。项目停工已超过一年，开发商资金链断裂，业主每月承担房贷和房租双重压力。恳请政府成立工作专班，盘活项目，尽快复工交房。云顶雅苑7号楼业主"),
         ("意见建议", "我们是高新区云顶雅苑项目的购房业主。项目停工已超过一年，开发商资金链断裂，很多业主每月承担房贷和房租双重压力，苦不堪言。恳请政府成立工作专班，盘活项目，尽快复工交房。云顶雅苑10号楼业主"),
     ]},
]

# ---------------------------------------------------------------------
# Small one-off municipal problems: one template family per problem type,
# each used once per place (places never repeat within a type).
# ---------------------------------------------------------------------

COMBOS = [
    {"category": "城乡建设", "dept": "{region}城管局",
     "titles": ["{place}井盖缺失", "井盖破损有安全隐患", "反映{place}井盖问题"],
     "texts": [
         "{place}的人行道上有个井盖不见了，就拿了几块砖头围着，晚上根本看不见，已经有人差点掉下去了，请尽快补上。",
         "反映一下，{place}有一个井盖破了一个大洞，车一压就哐当响，行人踩上去很危险。",
         "{place}那个井盖松动好久了，下雨天积水盖住了根本看不出来，小孩子放学都从那走，麻烦赶紧修一下。",
     ],
     "extra": ["谢谢！", "已经好几天了。", "请尽快处理。"],
     "reply": "您好，您反映的井盖问题已收悉。{dept}已安排维修人员到场，更换了破损井盖并设置警示标志。感谢您的反映。",
     "places": [("青山区", "青山大道与松林街交叉口"), ("江南区", "望江路公交站旁"), ("城北区", "工人路菜场门口"),
                ("高新区", "创新大道辅道"), ("临河县", "城关镇人民路农行门口"), ("东湖区", "梧桐街小学对面")]},
    {"category": "交通运输", "dept": "{region}住建局",
     "titles": ["{place}路面坑洼", "道路破损请修复", "{place}路面塌陷"],
     "texts": [
         "{place}路面坑坑洼洼，大坑小坑连成片，下雨天积水看不见坑，电动车经常在这里摔倒。",
         "{place}有一段路面塌陷了，形成一个一米多宽的坑，只放了个锥桶，晚上很容易出事。",
         "{place}的路修了补、补了修，现在又烂了，车开过去颠得厉害，希望彻底修一次。",
     ],
     "extra": ["请相关部门尽快处理。", "希望早点修好。", "麻烦了。"],
     "reply": "您好，您反映的道路破损问题已收悉。{dept}已安排养护单位对该路段坑槽进行修补，塌陷部位已完成回填。",
     "places": [("青山区", "石桥路"), ("江南区", "樱花街东段"), ("城北区", "北环路与工人路路口"),
                ("高新区", "云杉路"), ("临河县", "河滨大道南段"), ("东湖区", "东湖大道辅路"),
                ("青山区", "松林街")]},
    {"category": "城乡建设", "dept": "{region}住建局",
     "titles": ["{place}楼道灯坏了", "楼道漆黑，物业不修", "{place}楼道照明问题"],
     "texts": [
         "{place}的楼道灯坏了快一个月了，晚上上下楼全靠手机照明，我家老人上个礼拜在楼梯上踩空摔了一跤。",
         "{place}楼道里的声控灯全都不亮了，跟物业说了好几次，一直说等材料，这么点小事拖这么久。",
         "反映{place}楼道照明问题，灯坏了物业不修，晚上黑漆漆的，住户都有意见。",
     ],
     "extra": ["请督促物业处理。", "希望尽快修好。"],
     "reply": "您好，您反映的楼道照明问题已收悉。经{dept}协调社区督促，物业已更换楼道灯具，照明已恢复。",
     "places": [("青山区", "湖光小区5栋"), ("江南区", "樱花里3栋"), ("城北区", "工人新村12栋"),
                ("高新区", "创智公寓B座"), ("东湖区", "梧桐苑9栋"), ("临河县", "城关镇县医院宿舍")]},
    {"category": "环境保护", "dept": "{region}城管局",
     "titles": ["{place}垃圾清运不及时", "垃圾堆成山没人清", "{place}垃圾问题"],
     "texts": [
         "{place}的垃圾桶天天满出来，垃圾堆在地上好几天没人清，天热了臭得不行，还招老鼠。",
         "{place}那边的垃圾站好几天没有清运了，垃圾都堆到路上了，请环卫部门来处理一下。",
         "反映{place}垃圾清运问题：一天只收一次，晚上就满了，建议增加清运频次。",
     ],
     "extra": ["谢谢。", "请尽快处理。"],
     "reply": "您好，您反映的垃圾清运问题已收悉。{dept}已督促环卫作业单位及时清运，并将该点位清运频次调整为每日两次。",
     "places": [("青山区", "青山花园东门"), ("江南区", "望江华庭北门"), ("城北区", "铁路新村"),
                ("高新区", "云景台小区"), ("临河县", "杨柳镇老街"), ("东湖区", "碧水湾小区")]},
    {"category": "环境保护", "dept": "{region}城管局",
     "titles": ["{place}商铺音响噪音", "店铺门口大喇叭太吵", "投诉{place}商铺噪声"],
     "texts": [
         "{place}有几家店铺门口放着大音响循环播放促销广告，从早上九点喊到晚上十点，楼上住户快被逼疯了。",
         "{place}的服装店天天用大喇叭招揽顾客，音量特别大，“清仓甩卖最后三天”喊了一年了。",
         "投诉{place}一家手机店门口的音响噪音，音乐声震耳欲聋，路过都要捂耳朵，更别说楼上的住户了。",
     ],
     "extra": ["希望城管管一管。", "请处理。"],
     "reply": "您好，您反映的商铺噪声问题已收悉。{dept}已到场对相关商户进行教育劝导，要求其撤除门口音响设备，后续将加强巡查。",
     "places": [("青山区", "青山大道步行街"), ("江南区", "江南大道商业街"), ("城北区", "工人路"),
                ("临河县", "城关镇人民路"), ("东湖区", "湖心路"), ("高新区", "创新大道商业街")]},
    {"category": "城乡建设", "dept": "{region}城管局",
     "titles": ["{place}楼顶违建", "举报违章搭建", "{place}私搭乱建"],
     "texts": [
         "举报{place}顶楼住户在楼顶私自搭建彩钢板房，面积有五六十平方米，影响楼体安全，也堵住了消防通道。",
         "{place}一楼住户把院子围起来盖了两间房出租，占用了公共绿地，请城管部门查处。",
         "{place}有人在楼顶加盖了一层，还在上面种菜养鸡，下雨天楼下漏水，物业管不了。",
     ],
     "extra": ["请依法处理。", "希望尽快拆除。"],
     "reply": "您好，您反映的违法建设问题已收悉。经{dept}现场核查，该搭建物未取得规划许可，已下达限期拆除通知书，逾期不拆除将依法强制拆除。",
     "places": [("青山区", "松林苑2栋"), ("江南区", "江南春晓6栋"), ("城北区", "北苑小区"),
                ("东湖区", "东湖名邸"), ("高新区", "星辰华府"), ("临河县", "城关镇新华街")]},
    {"category": "城乡建设", "dept": "{region}园林局",
     "titles": ["{place}树木需要修剪", "行道树枯枝有隐患", "{place}树枝挡住窗户"],
     "texts": [
         "{place}的行道树长得太茂盛了，树枝伸到我们三楼的窗户里，家里白天都要开灯，蚊虫也多，请园林部门修剪一下。",
         "{place}有一棵大树枯死了，树干都空了，刮风的时候晃得厉害，下面就是公交站，万一倒了砸到人怎么办？",
         "{place}路边的树枝挡住了红绿灯和路牌，开车过去根本看不到信号灯，很危险。",
     ],
     "extra": ["请尽快处理。", "谢谢！"],
     "reply": "您好，您反映的树木问题已收悉。{dept}已安排绿化养护单位对相关树木进行修剪，枯死树木已移除并补植。",
     "places": [("青山区", "湖光路"), ("江南区", "玉带路"), ("城北区", "工人路中段"),
                ("东湖区", "梧桐街"), ("高新区", "科苑路南段"), ("临河县", "城关镇建设路")]},
    {"category": "城乡建设", "dept": "{region}城管局",
     "titles": ["{place}公厕太脏", "公共厕所管理差", "{place}公厕长期关闭"],
     "texts": [
         "{place}的公共厕所又脏又臭，洗手池没水，纸也没有，外地游客来了印象很差。",
         "{place}那个公厕锁了好几个月了，门上贴着维修，一直没人来修，附近摆摊的和行人上厕所很不方便。",
         "{place}公厕里面的灯坏了、蹲坑堵了，晚上根本没法用，希望加强管理。",
     ],
     "extra": ["请处理。", "希望改善。"],
     "reply": "您好，您反映的公厕问题已收悉。{dept}已督促管养单位完成维修保洁，并落实专人管理。",
     "places": [("青山区", "人民广场"), ("江南区", "江边步道北口"), ("城北区", "北站广场西侧"),
                ("临河县", "古渡口景点"), ("东湖区", "东湖公园东门"), ("高新区", "软件园公交首末站")]},
    {"category": "公共安全", "dept": "{region}农业农村局",
     "titles": ["{place}流浪狗伤人", "小区流浪猫狗太多", "{place}流浪动物问题"],
     "texts": [
         "{place}附近有一群流浪狗，七八条，晚上经常追着电动车咬，前几天一个老人被咬伤了，请相关部门来处理。",
         "{place}里流浪猫越来越多，有人天天投喂，晚上叫春吵得睡不着，猫粮撒一地招蟑螂。",
         "{place}的流浪狗翻垃圾桶，把垃圾弄得到处都是，还冲着小孩叫，家长都很害怕。",
     ],
     "extra": ["请尽快处理。", "希望有人管。"],
     "reply": "您好，您反映的流浪动物问题已收悉。{dept}已联系流浪动物收容机构到场处置，收容流浪犬若干只，并提醒居民注意防范。",
     "places": [("青山区", "青山花园"), ("江南区", "樱花里小区"), ("城北区", "工人新村"),
                ("高新区", "创智公寓"), ("临河县", "三河镇集市"), ("东湖区", "梧桐苑")]},
    {"category": "城乡建设", "dept": "{region}供水公司",
     "titles": ["{place}水管爆裂", "路边自来水管漏水", "{place}停水"],
     "texts": [
         "{place}路边的自来水管爆了，水哗哗往外冒，已经流了两个多小时，路面都淹了，请供水公司赶快来修。",
         "{place}地下好像有水管漏水，人行道上一直有水渗出来，冬天结冰很滑，已经有人摔倒了。",
         "{place}今天早上突然停水，事先没有任何通知，打供水公司电话一直占线，请问什么时候来水？",
     ],
     "extra": ["谢谢。", "请尽快处理！"],
     "reply": "您好，您反映的供水问题已收悉。{dept}已安排抢修人员到场，完成漏点修复并恢复供水。",
     "places": [("青山区", "石桥路口"), ("江南区", "望江路"), ("城北区", "工人路与北环路交叉口"),
                ("高新区", "云杉路小区门口"), ("东湖区", "湖心路"), ("临河县", "城关镇人民路")]},
    {"category": "交通运输", "dept": "市交通运输局",
     "titles": ["{place}公交站没有候车亭", "建议增设公交候车亭", "{place}公交站台问题"],
     "texts": [
         "{place}公交站只有一根站牌，没有候车亭，夏天晒冬天冻，下雨只能站在雨里等车，老人孩子很受罪。",
         "{place}的公交站台太窄了，等车的人只能站到非机动车道上，很危险，建议改造一下。",
         "{place}公交站的电子站牌坏了好久了，显示的到站时间全是错的，请维修。",
     ],
     "extra": ["谢谢！", "希望采纳。"],
     "reply": "您好，您反映的公交站台问题已收悉。{dept}已将该站点纳入候车亭建设和改造计划，电子站牌已安排维修。",
     "places": [("青山区", "青山大道东站"), ("江南区", "樱花街站"), ("高新区", "软件园站"),
                ("临河县", "县汽车站"), ("东湖区", "梧桐街站"), ("城北区", "工人新村站")]},
    {"category": "公共安全", "dept": "{region}消防救援大队",
     "titles": ["{place}消防设施损坏", "小区消火栓没水", "{place}消防通道被堵"],
     "texts": [
         "{place}楼道里的灭火器都过期好几年了，消火栓箱里的水带也没有，物业说没钱换，万一着火怎么办？",
         "{place}的消防通道被堆满了杂物和废旧家具，物业不清理，上次消防检查也没人管。",
         "{place}地下车库的消防喷淋管道在漏水，烟感报警器也不亮，请消防部门来检查一下。",
     ],
     "extra": ["请尽快检查。", "谢谢。"],
     "reply": "您好，您反映的消防安全问题已收悉。{dept}已对该小区开展消防检查，责令物业服务企业限期整改，更换过期灭火器材并清理消防通道。",
     "places": [("青山区", "湖光小区"), ("江南区", "江南春晓"), ("城北区", "铁路新村"),
                ("高新区", "云景台小区"), ("东湖区", "碧水湾小区"), ("临河县", "城关镇县医院宿舍")]},
    {"category": "城乡建设", "dept": "{region}市场监管局",
     "titles": ["{place}电梯故障", "电梯停运无人维修", "{place}电梯问题"],
     "texts": [
         "{place}的电梯坏了三天了，物业说在等维保公司，我住二十楼，每天上下班爬楼梯太累了。",
         "{place}电梯今天上午突然下坠了一层，吓死人了，物业说是正常的平层调整，我不信，请专业部门来检测。",
         "{place}的电梯按钮坏了好几个，有的楼层按了不停，物业报修一周了还没修。",
     ],
     "extra": ["请督促物业处理。", "谢谢。"],
     "reply": "您好，您反映的电梯问题已收悉。{dept}已责成维保单位对电梯进行全面检查，故障已排除，电梯恢复运行。",
     "places": [("青山区", "青山花园8栋"), ("江南区", "望江华庭2栋"), ("高新区", "云景台小区5栋"),
                ("东湖区", "东湖名邸1栋"), ("城北区", "北苑小区11栋")]},
    {"category": "环境保护", "dept": "{region}住建局",
     "titles": ["{place}装修噪音", "邻居装修不按时间", "{place}周末装修扰民"],
     "texts": [
         "{place}楼上邻居装修，周末早上七点就开始砸墙，中午也不休息，跟物业说了也没用。",
         "{place}有一户在装修，晚上九点多还在用电锤，孩子被吵得哭，物业说管不了。",
         "{place}楼下装修已经三个多月了，每天电钻声不断，家里老人身体不好，请问装修时间有没有规定？",
     ],
     "extra": ["请处理一下。", "谢谢。"],
     "reply": "您好，您反映的装修噪声问题已收悉。经{dept}协调，物业已与装修户沟通，要求其严格遵守装修作业时间规定。",
     "places": [("青山区", "松林苑"), ("江南区", "樱花里"), ("城北区", "北苑小区"),
                ("高新区", "星辰华府"), ("东湖区", "碧水湾小区"), ("临河县", "城关镇滨河小区")]},
    {"category": "交通运输", "dept": "{region}城管局",
     "titles": ["{place}共享单车堆放", "共享单车占用人行道", "{place}僵尸自行车"],
     "texts": [
         "{place}门口共享单车堆了几百辆，把人行道和盲道全堵了，推婴儿车只能走机动车道。",
         "{place}附近有很多坏掉的共享单车，轮胎瘪了、车座没了，堆在路边几个月没人收。",
         "{place}的共享单车早高峰一辆都没有，晚高峰又堆成山，建议运营公司合理调度。",
     ],
     "extra": ["请处理。", "希望规范管理。"],
     "reply": "您好，您反映的共享单车问题已收悉。{dept}已通知运营企业清运调度，并在该区域施划非机动车停放区。",
     "places": [("江南区", "江南大道地铁站"), ("高新区", "软件园地铁站"), ("东湖区", "东湖大道地铁站"),
                ("青山区", "青山大道地铁站"), ("城北区", "北环路地铁站"), ("临河县", "县汽车站")]},
]

ONE_OFFS += [
    ("RX", "江南区", "卫生健康", "药店医保卡不能用",
     "江南区望江路一家药店门口挂着医保定点的牌子，结果买药的时候说系统维护不能刷医保卡，连续一个礼拜都这样，是不是故意的？", "江南区医保局"),
    ("YJ", "城北区", "民政", "建议社区增设老年人活动室",
     "城北区工人新村老年人很多，但是社区连个活动室都没有，老人只能在楼下坐着聊天，冬天太冷。建议利用闲置的自行车棚改造成老年活动室。", "城北区民政局"),
    ("RX", "东湖区", "城乡建设", "小区地下车库积水",
     "东湖区碧水湾小区地下车库一下雨就积水，最深的地方没过脚踝，好几辆车都泡过了，物业只会拿扫把扫，排水泵一直是坏的。", "东湖区住建局"),
    ("XF", "青山区", "劳动和社会保障", "单位拖欠经济补偿金",
     "我在青山区一家服装厂工作了九年，厂子今年搬走了，说好的经济补偿金只给了一半，剩下的一直拖着，厂长说等卖了设备再给。", "青山区人社局"),
    ("YJ", "高新区", "教育文体", "建议增加社区托育服务",
     "高新区年轻父母多，双职工家庭孩子一岁多就没人带，托育机构一个月要四五千。建议在社区建普惠托育点，价格控制在两千以内。", "高新区卫健局"),
    ("RX", "临河县", "商贸旅游", "集市上卖假农药",
     "临河县三河镇集市上有人卖农药，价格比农资店便宜一半，我买回去打了没有效果，怀疑是假的，村里好多人都买了。", "临河县农业农村局"),
    ("RX", "城北区", "交通运输", "出租车绕路多收费",
     "昨天从北站坐出租车到城北区北苑小区，平时二十块钱的路，司机绕了一大圈收了四十八，我有行程截图，请处理。", "市交通运输局"),
    ("YJ", "东湖区", "教育文体", "建议开放东湖体育中心游泳馆",
     "东湖体育中心的游泳馆只对会员开放，年卡三千多，普通市民想去游一次都不行。建议设置公益开放时段，散客凭身份证购票。", "东湖区文旅体育局"),
    ("RX", "青山区", "城乡建设", "小区化粪池满溢",
     "青山区湖光小区3栋楼前的化粪池满了，污水从井盖往外冒，整个楼道都是臭味，已经三天了，物业说要等环卫的车。", "青山区城管局"),
    ("DB", "青山区", "民政", "关于加强独居老人关爱服务的建议",
     "青山区老城区独居、空巢老人比例较高，近年来多次发生独居老人在家中发生意外未被及时发现的情况。建议建立独居老人定期探访制度，推广智能烟感、紧急呼叫等设备，发动网格员、志愿者和邻里开展结对帮扶。", "青山区民政局"),
    ("XF", "江南区", "城乡建设", "物业公司强行断水断电催缴物业费",
     "我和物业因为房屋漏水的事有纠纷，暂缓交物业费，结果江南区樱花里小区物业直接把我家的水电停了，家里还有八十岁的老人，这合法吗？", "江南区住建局"),
    ("RX", "高新区", "公共安全", "写字楼安全出口上锁",
     "高新区软件园一栋写字楼的安全出口都被锁上了，说是为了防盗，我们上百人在里面办公，万一着火根本跑不出去。", "高新区消防救援大队"),
    ("YJ", "江南区", "交通运输", "建议延长末班地铁时间",
     "地铁末班车十点半就结束了，很多加班的人和看完演出的人只能打车。建议周五周六延长地铁运营到十二点。", "市轨道交通集团"),
    ("RX", "东湖区", "卫生健康", "医院挂号难，号贩子倒号",
     "东湖区人民医院皮肤科专家号一放出来就没了，门口却有人几百块钱卖号，请卫健部门管一管号贩子。", "东湖区卫健委"),
    ("XF", "临河县", "城乡建设", "宅基地纠纷村里不处理",
     "我家和邻居的宅基地边界有争议，邻居把围墙往我家这边砌了一米多，村委会调解了两次没结果，镇上说让我们去法院起诉。", "临河县自然资源局"),
    ("RX", "城北区", "商贸旅游", "网购退货商家拒不退款",
     "在一家城北区注册的网店买了一件羽绒服，收到后发现是假货，申请七天无理由退货，商家收到货后以影响二次销售为由拒绝退款。", "城北区市场监管局"),
    ("YJ", "青山区", "交通运输", "建议增设过街天桥",
     "青山大道和石桥路路口车流量大，行人过马路要穿过八条车道，附近还有学校和医院。建议增设过街天桥或者地下通道。", "青山区住建局"),
    ("RX", "江南区", "劳动和社会保障", "生育津贴什么时候发",
     "我今年三月份生的宝宝，单位说生育津贴已经申报了，但是到现在都还没有发到卡上，请问一般需要多长时间？", "市医保局"),
    ("RX", "高新区", "城乡建设", "小区配套学校迟迟不建",
     "我们买房的时候开发商宣传小区旁边配建一所九年制学校，现在小区交房两年了，那块地还是荒地，孩子只能去三公里外上学。", "高新区教育局"),
    ("YJ", "临河县", "卫生健康", "建议县医院开设儿科夜诊",
     "临河县人民医院晚上儿科没有医生值班，孩子半夜发烧只能开车一个小时去市里。建议县医院儿科开设夜间急诊。", "临河县卫健局"),
    ("RX", "东湖区", "环境保护", "餐馆泔水倒进雨水井",
     "东湖区湖心路有几家餐馆每天晚上把泔水直接倒进路边的雨水井，下水道堵了，一下雨就返臭。", "东湖区城管局"),
    ("QT", "高新区", "其他", "感谢交警帮忙送考",
     "高考那天早上我孩子的准考证忘带了，在云杉路路口急得直哭，执勤交警骑摩托车帮我们回家拿证又送到考点，没耽误考试，特别感谢！", None),
    ("RX", "青山区", "民政", "殡葬服务收费不透明",
     "家里老人去世，在青山区一家殡仪服务公司办理后事，最后结账比一开始说的多了一倍，很多项目根本没提前告知，请相关部门查一下。", "青山区民政局"),
    ("YJ", "城北区", "城乡建设", "老旧小区改造征求意见太少",
     "我们城北区北苑小区今年做老旧小区改造，改什么、怎么改都没有问过居民，结果把大家最需要的停车位和电梯都没纳入，只刷了外墙。", "城北区住建局"),
    ("XF", "东湖区", "公共安全", "邻居长期噪音骚扰",
     "东湖区梧桐苑楼上邻居长期在半夜故意跺脚、拖椅子、敲地板，报警多次，派出所调解也没用，我已经严重失眠，请求帮助。", "东湖区公安分局"),
    ("RX", "江南区", "城乡建设", "燃气费突然翻倍",
     "我家两个人住，平时一个月燃气费六七十块，这个月突然变成一百八，燃气表是不是有问题？燃气公司说要我自己出钱检测。", "江南区城管局"),
    ("DB", "城北区", "公共安全", "关于加强老旧小区电动自行车充电设施建设的建议",
     "全市老旧小区普遍存在电动自行车充电设施不足问题，居民飞线充电、入户充电屡禁不止。建议将充电设施建设纳入老旧小区改造必改内容，明确建设主体和运营维护责任，对充电设施建设给予财政补贴，并出台收费指导价。", "市住建局"),
    ("RX", "临河县", "交通运输", "村里客运班车停运",
     "临河县石门村到县城的客运班车上个月停了，说是亏损，我们村老人去县城看病、孩子上学都不方便了，希望恢复。", "临河县交通运输局"),
    ("YJ", "高新区", "商贸旅游", "建议园区增加便民菜店",
     "高新区软件园周边都是写字楼和公寓，附近没有菜市场，买个菜要开车去三公里外。建议在园区引进几家社区菜店或者早市。", "高新区商务局"),
    ("RX", "东湖区", "劳动和社会保障", "养老保险转移接续咨询",
     "我之前在外省交了八年养老保险，现在在东湖区工作，想把养老保险转过来，请问需要准备什么材料？去哪里办？", "市社会保险事业管理中心"),
]


# =====================================================================
# Fake personal data.  Petitions and hotline tickets carry names, ID,
# phone and card numbers, so the sample does too, for demos and tests of
# masking.  Names are invented; ID numbers (GB 11643) and card numbers
# (Luhn) are random with valid check digits, phone numbers are random,
# e-mail addresses use the reserved example.com/.net/.org domains.  Any
# match with a real person is chance.  It has its own random generator and
# runs after ``finalize``, so nothing else in the corpus changes, and it
# only touches one-off records (no recurring issue, no near-duplicate).
# =====================================================================

PII_SEED = 20251203
PII_RECORDS = 30
PII_REPLIES = 6
PII_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧"
PII_GIVEN = ["建国", "秀英", "桂兰", "志强", "海燕", "文华", "春梅", "国庆", "丽娟", "永刚",
             "晓东", "玉兰", "德明", "淑珍", "红霞", "卫东", "凤英", "金花", "振华", "雪梅"]
PII_PINYIN = ["jianguo", "xiuying", "guilan", "zhiqiang", "haiyan", "wenhua", "chunmei",
              "guoqing", "lijuan", "yonggang"]
PII_ID_AREAS = ["430102", "430111", "430181", "110105", "440304", "510107", "330106", "420106"]
PII_CARD_BINS = ["622202", "621700", "622848", "622588", "621483", "436742"]
PII_LANDLINE_AREAS = ["0731", "0730", "0735", "010", "020", "027"]
PII_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]

PII_CONTENT = [
    "本人{name}，身份证号{id}，联系电话{mobile}。",
    "联系人：{name}，手机{mobile}，身份证{id}。",
    "补偿款请打到我的银行卡{card}，户名{name}。",
    "家里座机{landline}，白天没人接就打手机{mobile}。",
    "相关照片和材料已发到邮箱{email}，请查收。",
    "我叫{name}，电话{mobile_fw}，盼回复。",
    "来电人{name}，回访电话{mobile}，身份证号码{id15}。",
    "工资卡号{card}，开户人{name}，身份证{id}。",
]
PII_REPLY = "（已电话回访来电人{name}，联系电话{mobile}。）"


def add_fake_personal_data(records, issues, dups):
    rng = random.Random(PII_SEED)
    busy = {i for v in issues.values() for i in v["ids"]} | {i for _, ids in dups for i in ids}

    def id_number(old=False):
        area = rng.choice(PII_ID_AREAS)
        born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(365 * 55))
        if old:
            return area + born.strftime("%y%m%d") + "%03d" % rng.randrange(1000)
        first = area + born.strftime("%Y%m%d") + "%03d" % rng.randrange(1000)
        total = sum(int(c) * w for c, w in zip(first, PII_ID_WEIGHTS))
        return first + "10X98765432"[total % 11]

    def card():
        digits = rng.choice(PII_CARD_BINS)
        length = rng.choice([16, 19])
        while len(digits) < length - 1:
            digits += str(rng.randrange(10))
        for check in "0123456789":
            full = digits + check
            total = 0
            for i, c in enumerate(reversed(full)):
                d = int(c) * (2 if i % 2 else 1)
                total += d - 9 if d > 9 else d
            if total % 10 == 0:
                break
        if rng.random() < 0.5:
            return " ".join(full[i:i + 4] for i in range(0, len(full), 4))
        return full

    def mobile():
        number = "1%d%d%08d" % (rng.choice([3, 5, 7, 8, 9]), rng.randrange(10), rng.randrange(10 ** 8))
        form = rng.randrange(4)
        if form == 1:
            return "%s %s %s" % (number[:3], number[3:7], number[7:])
        if form == 2:
            return "%s-%s-%s" % (number[:3], number[3:7], number[7:])
        if form == 3:
            return "+86 " + number
        return number

    def landline():
        area = rng.choice(PII_LANDLINE_AREAS)
        length = 8 if len(area) == 3 else rng.choice([7, 8])
        return "%s-%d%s" % (area, rng.randint(2, 9), "".join(str(rng.randrange(10)) for _ in range(length - 1)))

    def email():
        local = rng.choice(PII_PINYIN) + str(rng.randint(60, 99))
        if rng.random() < 0.3:
            local = str(rng.randint(10 ** 8, 10 ** 10))
        return local + "@example." + rng.choice(["com", "net", "org"])

    def fill(template):
        number = "1%d%d%08d" % (rng.choice([3, 5, 8]), rng.randrange(10), rng.randrange(10 ** 8))
        return template.format(
            name=rng.choice(PII_SURNAMES) + rng.choice(PII_GIVEN), id=id_number(),
            id15=id_number(old=True), card=card(), mobile=mobile(), landline=landline(),
            email=email(), mobile_fw=number.translate(FULLWIDTH))

    free = [r for r in records if r["id"] not in busy and r["kind"] in ("信访", "12345热线")]
    chosen = rng.sample(free, PII_RECORDS)
    for n, rec in enumerate(sorted(chosen, key=lambda r: r["id"])):
        addition = fill(PII_CONTENT[n % len(PII_CONTENT)])
        if len(rec["content"]) + len(addition) > 400:
            raise RuntimeError("personal data makes %s too long" % rec["id"])
        rec["content"] = rec["content"] + addition
    answered = [r for r in records if r["id"] not in busy and r.get("reply") and r not in chosen]
    for rec in sorted(rng.sample(answered, PII_REPLIES), key=lambda r: r["id"]):
        rec["reply"] = rec["reply"] + fill(PII_REPLY)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--issues", default=os.path.join(here, "issues.json"),
                    help="where to write the issue ground truth (default: next to this script)")
    ap.add_argument("--no-issues", action="store_true", help="do not write the issue ground truth")
    ap.add_argument("--stats", action="store_true", help="print a summary to stderr")
    args = ap.parse_args()

    g = Gen(SEED)
    for iss in ISSUES:
        g.build_issue(iss)
    g.build_laws(LAWS)
    g.build_oneoffs(ONE_OFFS)
    for grp in ONEOFF_DUPS:
        w = grp["window"]
        g.build_dup_group(grp, grp["region"], grp["category"], grp["depts"],
                          GENERIC_REPLIES["complaint"], None, day(w[0]), day(w[1]))
    g.build_combos(COMBOS)
    records, issues, dups = g.finalize()
    add_fake_personal_data(records, issues, dups)

    out = sys.stdout.buffer
    for rec in records:
        out.write((json.dumps(rec, ensure_ascii=False) + "\n").encode("utf-8"))
    out.flush()

    if not args.no_issues:
        with open(args.issues, "w", encoding="utf-8") as f:
            json.dump(issues, f, ensure_ascii=False, indent=2)
            f.write("\n")

    if args.stats:
        def count(field):
            c = {}
            for rec in records:
                c[rec.get(field)] = c.get(rec.get(field), 0) + 1
            return c
        err = sys.stderr
        print("records:", len(records), file=err)
        for field in ("kind", "region", "channel", "status", "site", "law"):
            print(field, count(field), file=err)
        for key, v in issues.items():
            print("issue", key, len(v["ids"]), file=err)
        for note, ids in dups:
            print("near-dup", note, ids, file=err)


if __name__ == "__main__":
    main()
