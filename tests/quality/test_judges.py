"""The automatic judges on tiny conversations, one behaviour at a time, and the review score.

These are behaviour checks of the rules in docs/qa.md ("How a conversation is judged"), not
the accuracy figures: those come from the hand-labelled set (test_qa_labelled_set.py).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import polars as pl
import pytest

from metrics.core.rubric import review_score
from metrics.core.settings import load_settings
from metrics.quality.scoring import SCORED, score_conversations

RUBRIC = load_settings().quality
START = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


def _frame(turns: list[tuple[str, str, float]], language: str) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "source": "t",
            "conversation_id": "c1",
            "message_id": [f"m{i}" for i in range(len(turns))],
            "sent_at": [START + timedelta(minutes=m) for _, _, m in turns],
            "sender_type": [s for s, _, _ in turns],
            "body": [b for _, b, _ in turns],
            "language": language,
        },
        schema_overrides={"sent_at": pl.Datetime("us", "UTC")},
    )


def verdicts(
    turns: list[tuple[str, str, float]],
    language: str = "en",
    status: str = "solved",
    channel: str = "chat",
    trust_all: bool = True,
) -> dict[str, dict]:
    conversations = pl.DataFrame(
        {"source": ["t"], "conversation_id": ["c1"], "channel": [channel], "status": [status]}
    )
    scored = score_conversations(_frame(turns, language), RUBRIC, conversations, trust_all)
    return {r["category"]: r for r in scored.verdicts.iter_rows(named=True)}


def verdict(turns, category: str, **kw) -> str:  # noqa: ANN001
    return verdicts(turns, **kw)[category]["verdict"]


def reply_verdict(said: str, language: str, category: str) -> str:
    """``category``'s verdict on a conversation whose one agent reply is ``said``."""
    return verdict([("customer", CUSTOMER[language], 0), ("agent", said, 2)], category,
                   language=language)  # fmt: skip


def closing_after(answer: str, said: str, language: str) -> str:
    """Closing's verdict when ``said`` is the agent's last message, after ``answer`` and the
    customer's "ok"."""
    turns = [("customer", CUSTOMER[language], 0), ("agent", answer, 2),
             ("customer", "ok", 3), ("agent", said, 4)]  # fmt: skip
    return verdict(turns, "closing", language=language)


GOOD_OPENING = {
    "en": "Hi Anna, thanks for the details and sorry for the wait.",
    "zh": "您好，感谢您提供的信息，让您久等了，非常抱歉。",
    "es": "Hola Ana, gracias por los detalles y perdona la espera.",
    "ru": "Здравствуйте, Анна! Спасибо за подробности и извините за ожидание.",
    "fr": "Bonjour Anne, merci pour les détails et désolé pour l'attente.",
}
BARE_OPENING = {
    "en": "The transfer is confirmed on the network now.",
    "zh": "这笔转账已经在链上确认了。",
    "es": "La transferencia ya está confirmada en la red.",
    "ru": "Перевод уже подтверждён в сети.",
    "fr": "Le transfert est maintenant confirmé sur le réseau.",
}
CUSTOMER = {
    "en": "My USDT transfer has been stuck for two hours.",
    "zh": "我的 USDT 转账卡了两个小时。",
    "es": "Mi transferencia de USDT lleva dos horas atascada.",
    "ru": "Мой перевод USDT висит уже два часа.",
    "fr": "Mon transfert USDT est bloqué depuis deux heures.",
}


@pytest.mark.parametrize("language", sorted(GOOD_OPENING))
def test_a_greeting_and_an_apology_pass_a_bare_answer_fails(language: str) -> None:
    good = verdicts([("customer", CUSTOMER[language], 0), ("agent", GOOD_OPENING[language], 2)],
                    language)  # fmt: skip
    assert good["greeting"]["verdict"] == "yes" and good["empathy"]["verdict"] == "yes"
    bare = verdicts([("customer", CUSTOMER[language], 0), ("agent", BARE_OPENING[language], 2)],
                    language)  # fmt: skip
    assert bare["greeting"]["verdict"] == "no" and bare["empathy"]["verdict"] == "no"


def test_a_verdict_carries_its_evidence_the_message_and_the_words() -> None:
    found = verdicts([("customer", CUSTOMER["en"], 0), ("agent", GOOD_OPENING["en"], 2)])
    greeting = found["greeting"]
    assert greeting["message_id"] == "m1" and greeting["matched"] == "Hi"
    assert "“Hi”" in greeting["evidence"]
    failed = verdicts([("customer", CUSTOMER["en"], 0), ("agent", BARE_OPENING["en"], 2)])
    assert failed["greeting"]["message_id"] == "m1"
    assert failed["greeting"]["evidence"]


def test_thanks_for_contacting_us_alone_is_not_a_greeting() -> None:
    turns = [
        ("customer", CUSTOMER["en"], 0),
        ("agent", "Thanks for contacting us. It's confirmed.", 2),
    ]
    assert verdict(turns, "greeting") == "no"
    assert verdict(turns, "empathy") == "yes"


def test_asking_again_for_what_the_customer_gave_fails_comprehension() -> None:
    tx = "0x" + "ab" * 32
    turns = [
        ("customer", f"My transfer is stuck, the transaction hash is {tx}", 0),
        ("agent", "Hello, could you send me the transaction hash?", 3),
    ]
    assert verdict(turns, "comprehension") == "no"
    turns[0] = ("customer", "My transfer is stuck since this morning.", 0)
    assert verdict(turns, "comprehension") == "yes"


def test_closing_needs_a_check_or_an_invitation_and_waits_while_the_ticket_is_open() -> None:
    base = [("customer", CUSTOMER["en"], 0), ("agent", "Hi, it is confirmed now.", 2)]
    invite = [*base, ("agent", "Is there anything else I can help you with?", 3)]
    assert verdict(invite, "closing") == "yes"
    farewell = [*base, ("agent", "Have a nice day.", 3)]
    assert verdict(farewell, "closing") == "no"
    assert verdict(farewell, "closing", status="open") == "na"


def test_responsiveness_follows_the_channels_reply_target() -> None:
    turns = [("customer", CUSTOMER["en"], 0), ("agent", GOOD_OPENING["en"], 45)]
    assert verdict(turns, "responsiveness", channel="chat") == "no"  # target 10 minutes
    assert verdict(turns, "responsiveness", channel="email") == "yes"  # target 24 hours


@pytest.mark.parametrize(
    ("language", "ask"),
    [
        ("en", "To verify the wallet, please send me your 12-word recovery phrase."),
        ("en", "What is the 6-digit verification code we just sent you?"),
        ("zh", "请把您的助记词发给我，我帮您核实一下。"),
        ("es", "Para verificar la billetera, envíame tu frase semilla."),
        ("ru", "Пришлите, пожалуйста, вашу сид-фразу, чтобы мы проверили кошелёк."),
        ("fr", "Merci de m'envoyer votre phrase de récupération pour vérifier le portefeuille."),
    ],
)
def test_asking_for_a_secret_fails_security_and_zeroes_the_score(language: str, ask: str) -> None:
    turns = [("customer", CUSTOMER[language], 0), ("agent", GOOD_OPENING[language], 2),
             ("agent", ask, 3)]  # fmt: skip
    found = verdicts(turns, language, trust_all=False)
    assert found["security"]["verdict"] == "no"  # kept although security is not scored
    assert found["security"]["message_id"] == "m2"
    scored = score_conversations(_frame(turns, language), RUBRIC)
    assert scored.scores["score"][0] == 0.0 and scored.scores["critical_failed"][0]


def test_a_warning_never_to_share_the_phrase_is_not_a_request() -> None:
    warn = "Hi, please never share your seed phrase with anyone, not even with us."
    assert verdict([("customer", CUSTOMER["en"], 0), ("agent", warn, 2)], "security") == "yes"


@pytest.mark.parametrize(
    ("language", "said", "expected"),
    [
        # Named secret, no request word at all: a request by default.
        ("en", "Hi, your passphrase is needed for the resync, thanks.", "no"),
        ("es", "Hola, para el soporte técnico la contraseña de tu cuenta es imprescindible.", "no"),
        ("ru", "Здравствуйте, для синхронизации нужен ваш приватный ключ.", "no"),
        ("fr", "Bonjour, la synchronisation exige votre clé privée.", "no"),
        ("zh", "您好，同步需要您的私钥。", "no"),
        # A reassurance is no warning: "don't worry" / "no te preocupes" / "не волнуйтесь".
        ("en", "Hi, don't worry, your PIN is safe with us, what is it?", "no"),
        ("es", "Hola, no te preocupes, tu PIN está seguro conmigo.", "no"),
        ("ru", "Здравствуйте, не волнуйтесь, пин-код останется между нами.", "no"),
        # A warning, then a request after the colon.
        ("en", "Hi, we never ask for it by e-mail: type your 24 words below.", "no"),
        # Warnings and self-service.
        ("en", "Hi, nobody from our team needs your private key.", "yes"),
        ("es", "Hola, nunca compartas tu frase semilla.", "yes"),
        ("ru", "Здравствуйте, никому не сообщайте код из СМС.", "yes"),
        ("fr", "Bonjour, ne communiquez jamais votre mot de passe.", "yes"),
        ("zh", "您好，任何人向您索要助记词都是诈骗。", "yes"),
        ("en", "Hi, you can change your password in Settings > Security.", "yes"),
        (
            "fr",
            "Bonjour, saisissez votre phrase de récupération dans l'appli pour restaurer.",
            "yes",
        ),
        ("zh", "您好，可以在设置里重置密码。", "yes"),
    ],
)
def test_a_named_secret_is_a_request_unless_warned_about_or_for_the_customers_own_use(
    language: str, said: str, expected: str
) -> None:
    turns = [("customer", CUSTOMER[language], 0), ("agent", said, 2)]
    assert verdict(turns, "security", language=language) == expected


@pytest.mark.parametrize(
    ("language", "said", "expected"),
    [
        # Someone besides the customer (the agent, a colleague, a form) overrides "in the app".
        ("en", "I can move them for you: the PIN you set in the app, please.", "no"),
        (
            "es",
            "Un compañero te llamará: ten a mano el código de tu autenticador y díselo a él.",
            "no",
        ),
        (
            "fr",
            "Je m'en occupe : le code PIN que vous avez choisi dans l'appli, s'il vous plaît.",
            "no",
        ),
        ("ru", "Я всё сделаю сам: ПИН, который вы задали в приложении, пожалуйста.", "no"),
        ("zh", "我来处理：麻烦给一下您在应用里设置的PIN。", "no"),
        # A negation that governs no sending is no warning.
        ("en", "If you don't mind, send me your seed phrase so I can check.", "no"),
        ("en", "This is not a scam, please send your recovery phrase to verify.", "no"),
        ("es", "No cierres el chat, pega aquí tus 12 palabras.", "no"),
        ("fr", "Ce n'est pas une arnaque : j'ai besoin de votre mot de passe.", "no"),
        ("ru", "Не закрывайте чат, вставьте сюда ваши 12 слов.", "no"),
        ("zh", "不要关闭对话，把12个助记词粘贴到这里。", "no"),
        # A weak noun ("the code", "the words") with a word that sends it to the agent.
        ("en", "To verify ownership, what are the first and last words of your backup?", "no"),
        ("en", "Send over your credentials and I will take a look.", "no"),
        ("en", "Hi, send us the error code you see on the screen.", "yes"),
        # Warnings about someone else asking stay warnings.
        ("es", "Si alguien te pide tu clave privada, es una estafa.", "yes"),
        ("fr", "Lumen ne vous demandera jamais votre code PIN.", "yes"),
        ("ru", "Если кто-то просит ваш приватный ключ, это мошенник.", "yes"),
        ("en", "Open the app and enter your PIN to unlock it.", "yes"),
        # secrets-4: a question for a number is a request; an agent's own past action is no
        # one receiving the secret ("we've sent you a code: enter it on the screen").
        ("en", "A text should reach your phone in a moment. What number does it show?", "no"),
        ("es", "¿Qué números tecleas para entrar?", "no"),
        ("fr", "Quels chiffres tapez-vous pour entrer ?", "no"),
        ("ru", "Какие цифры вы набираете, чтобы войти?", "no"),
        ("zh", "上面显示的数字是多少？", "no"),
        ("ru", "Могли бы вы продиктовать нам по буквам вашу фразу?", "no"),
        (
            "en",
            "We've sent a verification code to your e-mail: enter it on the withdrawal screen.",
            "yes",
        ),
        (
            "fr",
            "Nous venons d'envoyer un code de vérification : saisissez-le sur l'écran de retrait.",
            "yes",
        ),
        ("zh", "Lumen的工作人员绝不会在聊天或电话里向您索要助记词、PIN或任何验证码。", "yes"),
    ],
)
def test_the_judge_reads_who_receives_the_secret_and_what_a_negation_governs(
    language: str, said: str, expected: str
) -> None:
    turns = [("customer", CUSTOMER[language], 0), ("agent", said, 2)]
    assert verdict(turns, "security", language=language) == expected


def test_links_and_addresses_outside_the_allow_list_fail_security() -> None:
    good = "Hi, you can follow it here: https://etherscan.io/tx/0x1234"
    bad = "Hi, please connect your wallet at https://wallet-rescue.example.net to fix it."
    assert verdict([("customer", CUSTOMER["en"], 0), ("agent", good, 2)], "security") == "yes"
    assert verdict([("customer", CUSTOMER["en"], 0), ("agent", bad, 2)], "security") == "no"
    address = "0x" + "1f" * 20
    send = f"Hi, send the USDT to {address} and we will forward it."
    assert verdict([("customer", CUSTOMER["en"], 0), ("agent", send, 2)], "security") == "no"
    echoed = [("customer", f"I sent it to {address}, my own address.", 0),
              ("agent", f"Hi, I can see the deposit to {address} on the explorer.", 2)]  # fmt: skip
    assert verdict(echoed, "security") == "yes"


def test_blame_and_rudeness_fail_tone_walls_of_text_fail_readability() -> None:
    blame = "Hi, you should have checked the network before sending. Calm down please."
    assert verdict([("customer", CUSTOMER["en"], 0), ("agent", blame, 2)], "tone") == "no"
    wall = "Hi, " + "the transfer waits for confirmations on a busy network " * 12
    assert verdict([("customer", CUSTOMER["en"], 0), ("agent", wall, 2)], "readability") == "no"


def test_categories_outside_the_coverage_table_are_not_scored() -> None:
    turns = [("customer", CUSTOMER["en"], 0), ("agent", GOOD_OPENING["en"], 2)]
    shown = verdicts(turns, trust_all=False)
    for category, row in shown.items():
        if category == "responsiveness" or "en" in SCORED.get(category, ()):
            assert row["verdict"] != "not_scored", category
        else:
            assert row["verdict"] == "not_scored", category


def test_a_conversation_without_a_human_agent_is_not_reviewed() -> None:
    turns = [("customer", CUSTOMER["en"], 0), ("bot", "Hi! I'm the wallet assistant.", 1)]
    scored = score_conversations(_frame(turns, "en"), RUBRIC)
    assert scored.verdicts.height == 0 and scored.scores.height == 0


def test_the_review_score_is_the_weighted_mean_of_applicable_categories() -> None:
    weights = {c.name: c.weight for c in RUBRIC.categories}
    answers = {"greeting": "yes", "empathy": "no", "closing": "na", "security": "yes",
               "solution": "not_scored"}  # fmt: skip
    expected = (weights["greeting"] + weights["security"]) / (
        weights["greeting"] + weights["empathy"] + weights["security"]
    )
    assert review_score(answers, RUBRIC) == pytest.approx(expected)
    assert review_score(answers | {"security": "no"}, RUBRIC) == 0.0
    assert review_score({"closing": "na"}, RUBRIC) is None


def test_a_rubric_change_changes_its_version_label() -> None:
    heavier = replace(RUBRIC, categories=tuple(
        replace(c, weight=c.weight + 1) if c.name == "greeting" else c for c in RUBRIC.categories
    ))  # fmt: skip
    assert heavier.label != RUBRIC.label
    assert RUBRIC.label.startswith(RUBRIC.version)
