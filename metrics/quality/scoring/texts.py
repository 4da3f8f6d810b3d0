"""What each distinct message text says, as columns: the phrases the judges look for.

Computed once per distinct text (agents' macros repeat thousands of times) with Polars'
vectorised Rust regular expressions; ``metrics.quality.scoring.judges`` combines them per
conversation. Sentence-level checks (a secret asked for, an item asked for) split only the
texts that can match, so a million distinct texts stay cheap.
"""

from __future__ import annotations

import re

import polars as pl

from metrics.core.rubric import Rubric
from metrics.quality.scoring.phrases import ASK_KINDS, phrases
from metrics.quality.scoring.replies import reply_secrets

SENTENCE = r"[^.!?。！？\n]+[.!?。！？]*"
# A sentence cut at colons and semicolons: "we never ask for it by e-mail: type it below".
CLAUSE = r"[^.!?。！？\n:;：；]+[.!?。！？:;：；]*"
# "but" ends a clause too: "we never ask for this normally, but type it below" (blind4 / probe6)
BUT = r"(?i),?\s*\b(?:but|pero|mais|но|однако)\b|，?(?:但是|但|不过)"
PLACEHOLDER = (
    r"\{\{[^}]{1,40}\}\}|\{[A-Za-z_]{3,30}\}|%[A-Z_]{3,30}%"
    r"|\[(?:first_?name|customer_?name|name|agent_?name)\]"
    # in any script: "{客户姓名}", "[PRÉNOM CLIENT]", "[ИМЯ КЛИЕНТА]"
    r"|\{\p{Han}{2,12}\}|(?-i:\[\p{Lu}+[ _][\p{Lu} _]{2,30}\])"
)
_TLDS = (
    "com|net|org|io|co|app|xyz|info|biz|ru|cn|fr|es|de|uk|me|ly|gl|cc|tk|top|site|online"
    "|link|to|gg|finance|exchange|wallet|support|pro|live|club|vip|cloud|dev|page"
)
LINK = (
    r"(?i)(?:https?://|www\.)[^\s<>\"'，。、）)\]]+"
    rf"|(?i)(?-u:\b)(?:[a-z0-9-]+\.)+(?:{_TLDS})(?-u:\b)(?:/[^\s<>\"'，。、）)\]]*)?"
)
ADDRESS = (
    r"0x[0-9a-fA-F]{40}(?-u:\b)|(?-u:\b)T[1-9A-HJ-NP-Za-km-z]{33}(?-u:\b)"
    r"|(?-u:\b)(?:bc1|tb1)[02-9ac-hj-np-z]{11,71}(?-u:\b)|[0-9A-Za-z]{4,6}…[0-9A-Za-z]{4}"
)
# Security: an address an agent sends may be mistyped or hand-written one character short
# or long (blind5: a 32-character TRON address), or a legacy Bitcoin one ("1...", "3...").
SENT_ADDRESS = (
    ADDRESS + r"|0x[0-9a-fA-F]{36,44}(?-u:\b)|(?-u:\b)T[1-9A-HJ-NP-Za-km-z]{30,35}(?-u:\b)"
    r"|(?-u:\b)[13][1-9A-HJ-NP-Za-km-z]{25,34}(?-u:\b)"
)
EMAIL = r"[\w.+-]+@[\w-]+\.[\w.-]+"
SIGNATURE = r"(?m)^[ \t]*\p{Lu}[\p{Ll}'-]+(?:[ \t]+\p{Lu}[\p{Ll}.'-]+){1,2}[ \t]*$"
# the same name closing the message's last line after its last sentence ("... Quedo a la
# espera. Julián Cordero - Distribuciones Cordero Hnos.", "Сколько можно. Ладыгин Е.В."):
# capitalised words or initials, optionally a dash and a company name
TRAILING_SIGNATURE = (
    r"(?m)(?:[.!?…][ \t]+)\p{Lu}[\p{Ll}'-]+"
    r"(?:[ \t]+(?:\p{Lu}[\p{Ll}'-]+|\p{Lu}\.(?:[ \t]?\p{Lu}\.)?)){1,2}"
    r"(?:[ \t]*[-–—|,][ \t]*(?:\p{Lu}[\p{L}.'&-]*[ \t]*){1,4})?[ \t]*$"
)
GIVEN: dict[str, str] = {
    # a 64-hex hash the loader's redaction took for a private key, labelled as a hash or id
    "tx": (
        r"(?i)(?-u:\b)(?:0x)?[0-9a-f]{64}(?-u:\b)"
        r"|(?:hash|txid|tx|id|transacci\w*|transaction|哈希|хеш|хэш)\W{0,4}\[private key removed\]"
    ),
    "address": ADDRESS,
    "email": rf"{EMAIL}|\[email removed\]",
    "network": (
        r"(?i)(?-u:\b)(?:ethereum|erc-?20|bnb ?chain|bep-?20|bsc|tron|trc-?20|polygon|arbitrum"
        r"|optimism|solana|avalanche|bitcoin)(?-u:\b)|(?-i:(?-u:\b)(?:TON|Base)(?-u:\b))"
        r"|波场|以太坊|币安链|币安智能链"
    ),
    "version": r"(?-u:\b)\d+\.\d+\.\d+(?-u:\b)|(?i)(?:version|versión|версия|版本)\s*:?\s*\d+(?:\.\d+)+",
    "device": (
        r"(?i)(?-u:\b)(?:iphone|ipad|samsung|galaxy|pixel|xiaomi|redmi|huawei|honor|oppo|vivo"
        r"|oneplus|motorola|nokia"
        # hardware wallets: "which hardware wallet?" after "my Trezor Safe 3" asks again
        r"|ledger|trezor|onekey|keystone|safepal|tangem|coolwallet|bitbox\w*|ellipal|ngrave)(?-u:\b)"
    ),
    # an order, case or ticket number ("order 5521", "по делу № А40-118273", "订单号 7781")
    "reference": (
        r"№\s*[\w/-]*\d"
        r"|(?i)(?-u:\b)(?:order|case|ticket|ref|reference|booking|invoice|pedido|orden|caso"
        r"|referencia|factura|reserva|expediente|commande|dossier|facture)(?-u:\b)"
        r"\s*(?:number|no\.?|n[uúº°o]\.?|num[eé]ro|#|id)?\s*[:#]?\s*[A-Za-z]{0,5}-?\d{3,}"
        r"|(?i)(?:заказ|дел[оау]|обращени[ея]|тикет|заявк[аиу])\s*(?:№|номер)?\s*[:#]?\s*\w{0,5}-?\d{3,}"
        r"|(?:订单|工单|案件|单号|编号)号?[:：]?\s*[A-Za-z]{0,5}-?\d{3,}"
    ),
}


_WORD_BOUNDARY = re.compile(r"(?<!\\)\\b")


def loose(pattern: str) -> str:
    """``pattern`` without its word boundaries (``\\b``): it matches every text ``pattern``
    matches, and more. Rust's fast DFA cannot run a Unicode ``\\b`` over non-ASCII text (it
    falls back to an NFA, ~40x slower on these long alternations), so ``matches`` and
    ``extracted`` run the loose pattern over every text and the exact one only where the
    loose one matched."""
    return _WORD_BOUNDARY.sub("", pattern)


# Below this many texts a call's cost is compiling its patterns, not searching: Polars keeps
# only the last 32 compiled patterns per thread and a scoring call runs about a hundred, so a
# call on a few texts (a test's conversation, an incremental load of a few tickets) compiled
# every one of them again, twice for a pattern with word boundaries (loose, then exact).
SMALL = 64
# Per (operation, pattern, replacement, group): each text's result, for calls on at most SMALL
# texts; a text seen before (a macro, the same customer message) needs no pattern at all.
_MEMO: dict[tuple[str, str, str, int], dict[str, object]] = {}
_MEMO_TEXTS = 512  # per pattern: the texts' results are forgotten beyond it
_UNSEEN = object()


def _small(texts: pl.Series, key: tuple[str, str, str, int], dtype: pl.DataType) -> pl.Series:
    """The result of ``key``'s operation on each of (at most SMALL) ``texts``, the exact
    pattern run once over the texts not seen before: the same values as the loose-then-exact
    path (the loose pattern only picks the texts worth running the exact one on)."""
    operation, pattern, by, group = key
    memo = _MEMO.setdefault(key, {})
    values = texts.to_list()
    # read once per text: another thread may clear the memo meanwhile
    known = {v: memo.get(v, _UNSEEN) for v in values if v is not None}
    known = {v: result for v, result in known.items() if result is not _UNSEEN}
    new = list(dict.fromkeys(v for v in values if v is not None and v not in known))
    if new:
        series = pl.Series(new, dtype=pl.String)
        if operation == "matches":
            found = series.str.contains(pattern)
        elif operation == "extracted":
            found = series.str.extract(pattern, group)
        else:
            found = series.str.replace_all(pattern, by)
        known.update(zip(new, found.to_list(), strict=True))
        if len(memo) + len(new) > _MEMO_TEXTS:
            memo.clear()
        memo.update(zip(new, found.to_list(), strict=True))
    return pl.Series(texts.name, [None if v is None else known[v] for v in values], dtype=dtype)


def _candidates(texts: pl.Series, pattern: str) -> pl.Series:
    return texts.str.contains(loose(pattern)).fill_null(False).arg_true()


def matches(texts: pl.Series, pattern: str) -> pl.Series:
    """``texts.str.contains(pattern)`` (null for a null text), computed fast (see ``loose``)."""
    if len(texts) <= SMALL:
        return _small(texts, ("matches", pattern, "", 0), pl.Boolean())
    found = pl.Series(texts.name, [False] * len(texts), dtype=pl.Boolean)
    rows = _candidates(texts, pattern)
    if len(rows):
        found = found.scatter(rows, texts.gather(rows).str.contains(pattern))
    return found.set(texts.is_null(), None) if texts.null_count() else found


def extracted(texts: pl.Series, pattern: str, group: int = 1) -> pl.Series:
    """``texts.str.extract(pattern, group)``, computed fast (see ``loose``)."""
    if len(texts) <= SMALL:
        return _small(texts, ("extracted", pattern, "", group), pl.String())
    out = pl.Series(texts.name, [None] * len(texts), dtype=pl.String)
    rows = _candidates(texts, pattern)
    if len(rows):
        out = out.scatter(rows, texts.gather(rows).str.extract(pattern, group))
    return out


def replaced(texts: pl.Series, pattern: str, by: str = " ") -> pl.Series:
    """``texts.str.replace_all(pattern, by)``, computed fast (see ``loose``): only the texts
    the loose pattern matches are rewritten."""
    if len(texts) <= SMALL:
        return _small(texts, ("replaced", pattern, by, 0), pl.String())
    rows = _candidates(texts, pattern)
    if not len(rows):
        return texts
    # scatter writes into its series: a copy, so the caller's texts stay as they were
    return texts.clone().scatter(rows, texts.gather(rows).str.replace_all(pattern, by))


def matches_any(texts: pl.Series, patterns: tuple[str, ...]) -> pl.Series:
    """``matches`` of the alternation of ``patterns``, one pattern at a time (see
    ``Phrases.closing_parts``)."""
    found = matches(texts, patterns[0])
    for pattern in patterns[1:]:
        found = found | matches(texts, pattern)
    return found


def extracted_any(texts: pl.Series, patterns: tuple[str, ...]) -> pl.Series:
    """The words of the first of ``patterns`` that matches each text (``extracted``)."""
    found = extracted(texts, patterns[0])
    for pattern in patterns[1:]:
        found = found.zip_with(found.is_not_null(), extracted(texts, pattern))
    return found


def jargon_pattern(rubric: Rubric) -> str:
    """Built-in internal terms, the rubric's own, and unfilled macro placeholders."""
    own = [rf"(?-u:\b){re.escape(term)}(?-u:\b)" for term in rubric.jargon]
    built_in = phrases().patterns["jargon"].removeprefix("(?i)(").removesuffix(")")
    return "(?i)(" + "|".join([built_in, PLACEHOLDER, *own]) + ")"


def _sentences(texts: pl.Series) -> pl.DataFrame:
    """(text, sentence) for every sentence of every text, in order."""
    frame = pl.DataFrame({"text": texts}).with_columns(
        pl.col("text").str.extract_all(SENTENCE).alias("sentence")
    )
    return frame.explode("sentence").drop_nulls("sentence")


def _secret_clauses(sentences: pl.DataFrame) -> pl.DataFrame:
    """Per sentence (``sentence_no``): the first clause (cut at colons, semicolons and "but") that
    names a secret and sends it to the agent without a warning in that clause. A warning
    earlier in the sentence does not cover it: "we never ask for it by e-mail: type the 24
    words below". A clause that only involves someone else (``secret_party``: "I", a
    colleague, a form) counts when the whole sentence warns of nothing."""
    p = phrases().patterns
    # a clause names a secret only in a sentence that does (the sentence's words include it)
    clauses = (
        sentences.filter(pl.col("named").is_not_null())
        .select(
            "sentence_no",
            "warning",
            pl.col("sentence").str.replace_all(BUT, ";").str.extract_all(CLAUSE).alias("clause"),
        )
        .explode("clause")
    )
    clauses = clauses.drop_nulls("clause")
    # harmless uses are blanked here too ("during the call" names no one to receive it)
    said = replaced(clauses["clause"], p["secret_harmless"])
    calm = replaced(said, p["secret_reassurance"])
    sends = matches(said, p["secret_cue"])
    clauses = clauses.with_columns(
        pl.coalesce(
            extracted_any(said, phrases().parts["secret_noun"]),
            _weak_named(said, sends),
        ).alias("clause_named"),
        (
            (sends | (matches(said, p["secret_party"]) & ~pl.col("warning")))
            & ~matches_any(calm, phrases().parts["secret_negation"])
        ).alias("hit"),
    )
    clauses = clauses.filter(pl.col("clause_named").is_not_null() & pl.col("hit"))
    return clauses.group_by("sentence_no", maintain_order=True).agg(
        pl.col("clause").first().alias("clause"), pl.col("clause_named").first()
    )


def _weak_named(said: pl.Series, sends: pl.Series) -> pl.Series:
    """The words of a weak secret noun ("the code", "the words", "credentials") in each
    sentence that ``sends`` (has a word sending it to the agent), outside the harmless uses
    of ``secret_weak_exception`` ("error code"); null elsewhere."""
    p = phrases().patterns
    out = pl.Series(said.name, [None] * len(said), dtype=pl.String)
    rows = sends.fill_null(False).arg_true()
    if not len(rows):
        return out
    some = replaced(said.gather(rows), p["secret_weak_exception"])
    return out.scatter(rows, extracted(some, p["secret_weak_noun"]))


def secret_requests(texts: pl.Series) -> pl.DataFrame:
    """Per text: the first sentence that names a secret outside a warning, and the secret's
    words; texts without one are absent.

    A sentence naming a secret (``secret_noun``, or a weak noun of ``secret_weak_noun`` such
    as "the code" beside a ``secret_cue`` word) counts as asking for it unless it warns
    (``secret_negation``: a negation governing an asking or sending verb, or someone else
    asking; read after reassurances such as "don't worry" or "this is not a scam" are removed)
    or sends the customer to use the secret themselves (``secret_selfservice``: in the app, a
    reset, "do you still have it written down?", what the phrase is) without a word that sends
    it to the agent (``secret_cue``: here, to me, attach, reply) or names someone besides the
    customer (``secret_party``: I, a colleague, a form, ", please"). In a reply that warns, a statement that
    names a secret again without a question or such a word belongs to the warning. A sentence
    that points back ("it", "them") at a secret named in the sentence before, with such a
    word, asks for it too, and so does a clause of a warning sentence that sends a secret to
    the agent (``_secret_clauses``). The default is "asks": a request worded in a new way is
    still caught, at the price of an occasional false alarm (a trainer's look, not a
    customer's funds)."""
    p = phrases().patterns
    candidates = texts.filter(
        matches_any(texts, phrases().parts["secret_noun"]) | matches(texts, p["secret_weak_noun"])
    )
    sentences = _sentences(candidates).with_row_index("sentence_no")
    # harmless uses of a secret's words ("the last 4 digits of the card") name no secret
    said = replaced(sentences["sentence"], p["secret_harmless"])
    calm = replaced(said, p["secret_reassurance"])
    sends = matches(said, p["secret_cue"])
    sentences = sentences.with_columns(
        pl.coalesce(
            extracted_any(said, phrases().parts["secret_noun"]),
            _weak_named(said, sends),
        ).alias("named"),
        sends.alias("sends"),
        (sends | matches(said, p["secret_party"])).alias("cue"),
        matches_any(calm, phrases().parts["secret_negation"]).alias("warning"),
        matches_any(said, phrases().parts["secret_selfservice"]).alias("own_use"),
        matches(said, p["secret_backref"]).alias("backref"),
        said.str.contains(r"[?？¿]|吗").alias("asks"),
    )
    sentences = sentences.join(_secret_clauses(sentences), on="sentence_no", how="left")
    named = pl.col("named").is_not_null()
    # a warning may point back at the secret the reply names ("never give it to anyone")
    warned = ((named | pl.col("backref")) & pl.col("warning")).any().over("text")
    statement = warned & ~pl.col("asks") & ~pl.col("cue")
    asked = named & ~pl.col("warning") & (pl.col("cue") | (~pl.col("own_use") & ~statement))
    before = pl.when(named & ~pl.col("warning")).then(pl.col("named")).shift(1).over("text")
    pointed = pl.col("backref") & pl.col("sends") & ~pl.col("warning") & ~named
    sentences = sentences.with_columns(
        pl.when(asked)
        .then("named")
        .when(pointed)
        .then(before)
        .otherwise("clause_named")
        .alias("secret_words"),
        pl.when(asked | pointed).then("sentence").otherwise("clause").alias("secret"),
    )
    found = sentences.filter(pl.col("secret_words").is_not_null()).sort("sentence_no")
    return found.group_by("text", maintain_order=True).agg(
        pl.col("secret").first().str.strip_chars(),
        pl.col("secret_words").first(),
    )


def item_requests(texts: pl.Series) -> pl.DataFrame:
    """Per text: the items it asks for (ASK_KINDS, in a sentence with a request word) and
    the first such sentence; texts asking for nothing are absent. A list item ("- the
    e-mail of your account") asks when the line introducing the list does ("reply with:")."""
    p = phrases()
    any_item = "|".join(p.asks.values())
    candidates = texts.filter(matches(texts, any_item))
    sentences = _sentences(candidates)
    said = sentences["sentence"].str.strip_chars()
    cue = matches(sentences["sentence"], p.patterns["ask_cue"])
    listed = said.str.contains(r"^(?:[-•*·–]|\d{1,2}[.)])\s")
    intro = cue & (said.str.ends_with(":") | said.str.ends_with("："))
    sentences = sentences.with_columns(
        cue.alias("cue"), listed.alias("listed"), intro.alias("intro")
    )
    sentences = sentences.with_columns(
        pl.when(~pl.col("listed")).then("intro").forward_fill().over("text").alias("introduced"),
    )
    sentences = sentences.filter(
        pl.col("cue") | (pl.col("listed") & pl.col("introduced").fill_null(False))
    ).drop("cue", "listed", "intro", "introduced")
    said = sentences["sentence"]
    kinds = [pl.when(matches(said, p.asks[kind])).then(pl.lit(kind)) for kind in ASK_KINDS]
    asked = sentences.with_columns(pl.concat_list(kinds).list.drop_nulls().alias("asked"))
    asked = asked.filter(pl.col("asked").list.len() > 0)
    return asked.group_by("text", maintain_order=True).agg(
        pl.col("asked")
        .list.explode(keep_nulls=False, empty_as_null=False)
        .unique(maintain_order=True),
        pl.col("sentence").first().str.strip_chars().alias("ask_sentence"),
    )


def sentence_kinds(texts: pl.Series) -> pl.DataFrame:
    """Per text: ``question`` (it asks the customer something: a question other than a
    closing check, or a request such as "please send a screenshot"), ``action`` (an answer
    or step: a statement with an action phrase, or a suggestion put as a question, "have
    you tried ...?") and ``check`` (a reply that ends with a short question after an
    answer, "Does that work?": a closing check in any words)."""
    p = phrases().patterns
    s = pl.col("sentence")
    asked = s.str.contains(r"[?？¿]")
    sentences = _sentences(texts)
    said = sentences["sentence"]
    # a promise to update, a hand-off or "sorry for the wait" is no answer, even in an
    # answer's words ("I'll update this chat once I hear something"): blanked first
    hollow = replaced(said, p["action_harmless"])
    sentences = sentences.with_columns(
        asked.alias("asked"),
        matches_any(said, phrases().closing_parts).alias("closing"),
        matches(said, p["info_request"]).alias("request"),
        matches(hollow, p["action"]).alias("action"),
        matches(said, p["suggestion"]).alias("suggestion"),
        (s.str.count_matches(r"\S+") + s.str.count_matches(r"\p{Han}") // 2).alias("size"),
        (pl.int_range(pl.len()) == pl.len() - 1).over("text").alias("last"),
    )
    # a question for an item ("¿me dices qué modelo tienes?", "let me know which network")
    # asks something, whatever closing words it uses
    items = "|".join(phrases().asks.values())
    sentences = sentences.with_columns(
        (pl.col("asked") & pl.col("closing") & ~matches(said, items)).alias("closing"),
        ((~pl.col("asked") & pl.col("action")) | (pl.col("asked") & pl.col("suggestion"))).alias(
            "action"
        ),
    )
    sentences = sentences.with_columns(pl.col("action") & ~pl.col("request"))
    # An answer in another sentence of the reply: "Restart the app. Does it work now?"
    answered = (pl.col("action").sum() - pl.col("action").cast(pl.Int32)).over("text") > 0
    short_check = pl.col("asked") & pl.col("last") & (pl.col("size") <= 8) & answered
    sentences = sentences.with_columns(short_check.alias("check"))
    asks = (pl.col("asked") & ~pl.col("closing") & ~pl.col("check")) | pl.col("request")
    return sentences.group_by("text").agg(
        asks.any().alias("question"),
        pl.col("action").any(),
        pl.col("sentence").filter("check").first().str.strip_chars().alias("check"),
    )


def _paragraph_max(text: pl.Expr, pattern: str) -> pl.Expr:
    counts = text.str.split("\n").list.eval(pl.element().str.count_matches(pattern))
    return counts.list.max().fill_null(0)


def agent_features(texts: pl.Series, rubric: Rubric) -> pl.DataFrame:
    """One row per distinct agent text: the phrases and facts each judge reads."""
    p = phrases().patterns
    t = pl.col("text")
    without_mail = t.str.replace_all(EMAIL, " ")
    texts = texts.unique().rename("text")
    frame = pl.DataFrame({"text": texts}).with_columns(
        extracted(texts.str.slice(0, 40), p["greeting"]).alias("greet"),
        extracted(texts, p["empathy"]).alias("emp"),
        extracted_any(texts, phrases().closing_parts).alias("clos"),
        extracted_any(texts, phrases().parts["tone"]).alias("tone"),
        # comprehension: "sorry, I missed that", "j'ai lu trop vite", "是我没看仔细"
        extracted(texts, p["agent_misread"]).alias("misread"),
        # an app's own setting named with a jargon word ("custom RPC") is blanked first
        extracted(
            # a copy: ``replaced`` writes into the series it is given
            replaced(texts.clone(), p["jargon_harmless"]),
            jargon_pattern(rubric),
        ).alias("jargon"),
        matches_any(texts, phrases().parts["refusal"]).alias("refusal"),
        matches_any(texts, phrases().parts["deferral"]).alias("deferral"),
        matches_any(texts, phrases().parts["dismissal"]).alias("dismissal"),
        (~t.str.contains(r"\p{L}")).alias("contentless"),
        t.str.contains(r"[?？¿]").alias("asks"),
        _paragraph_max(t, r"[^\p{Han}\p{Hiragana}\p{Katakana}]").alias("chars"),
        _paragraph_max(t, r"[\p{Han}\p{Hiragana}\p{Katakana}]").alias("cjk"),
        without_mail.str.extract_all(LINK).alias("links"),
        t.str.extract_all(SENT_ADDRESS).alias("addresses"),
    )
    frame = frame.join(sentence_kinds(frame["text"]), on="text", how="left")
    frame = frame.with_columns(pl.coalesce("clos", "check").alias("clos")).drop("check")
    frame = frame.join(secret_requests(frame["text"]), on="text", how="left")
    return frame.join(item_requests(frame["text"]), on="text", how="left")


def reply_context(texts: pl.Series) -> pl.DataFrame:
    """What an agent text tells about the customer's next reply (``replies``), for the few
    agent texts next to a customer's secret-shaped reply: ``prompts``
    (it asks something or sends something to the agent, so a bare code after it answers
    it), ``warns`` (a warning against sharing: a secret after it was volunteered, and a
    warning after a secret answers a volunteer) and ``routine_ask`` (it asks for a number
    that is no secret: an order number, an amount, a date)."""
    p = phrases().patterns
    texts = texts.unique()
    return pl.DataFrame(
        {
            "body": texts,
            "prompts": texts.str.contains(r"[?？¿]") | matches(texts, p["secret_cue"]),
            "warns": matches_any(
                replaced(texts, p["secret_reassurance"]), phrases().parts["secret_negation"]
            ),
            "routine_ask": matches(texts, p["secret_routine_ask"]),
        }
    )


def customer_features(texts: pl.Series) -> pl.DataFrame:
    """One row per distinct customer text: items it gives, links and addresses, vagueness."""
    p = phrases()
    t = pl.col("text")
    tokens = (
        # a signature line (a name: two or three capitalised words) says nothing either
        t.str.replace_all(SIGNATURE, " ")
        .str.replace_all(TRAILING_SIGNATURE, " ")
        .str.to_lowercase()
        .str.replace_all("’", "'")
        # an @-mention of the company on social media ("@LumenWalletES") says nothing either
        .str.replace_all(r"@[\w.]+", " ")
        .str.replace_all(p.vague_phrases, " ")
        .str.extract_all(r"[\p{L}\p{N}']+")
    )
    vague = tokens.list.eval(pl.element().filter(~pl.element().is_in(list(p.vague_words))))
    given = [pl.when(t.str.contains(GIVEN[k])).then(pl.lit(k)) for k in GIVEN]
    texts = texts.unique()
    # A reply that names the secret itself ("Seed: [seed phrase removed]", "my private key
    # is ...") was volunteered, or answers a request that named it (the agent's words show
    # that one): the reply signal is for replies that only hold the secret.
    secret = reply_secrets(texts)
    rows = secret.is_not_null().arg_true()
    named = matches_any(texts.gather(rows), p.parts["secret_noun"]).fill_null(False)
    secret = secret.scatter(rows.filter(named), None)
    return pl.DataFrame({"text": texts}).with_columns(
        secret.alias("reply_secret"),
        pl.concat_list(given).list.drop_nulls().alias("given"),
        (vague.list.len() == 0).alias("vague"),
        matches(texts, p.patterns["customer_repeat"]).alias("repeated"),
        matches(texts, p.patterns["customer_correction"]).alias("corrected"),
        t.str.replace_all(EMAIL, " ").str.extract_all(LINK).alias("links"),
        t.str.extract_all(SENT_ADDRESS).alias("addresses"),
    )
