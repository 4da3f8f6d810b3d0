"""Classes of wording the second blind split (blind2) showed the judges did not know.

Every sentence here is written for this file (none is copied from the labelled set). Each
test checks a class in several languages and, beside it, a sentence just outside the class
that must keep its old verdict, so a fix for precision did not cost recall.
"""

from __future__ import annotations

import pytest

from tests.quality.test_judges import CUSTOMER, reply_verdict, verdict


def _last_reply(said: str, language: str) -> str:
    # the answer first, then the reply under test as the agent's last message
    answer = {
        "en": "Restart the app and the transfer will show up.",
        "es": "Reinicia la app y la transferencia aparecerá.",
        "fr": "Redémarrez l'application et le transfert apparaîtra.",
        "ru": "Перезапустите приложение, и перевод появится.",
        "zh": "请重启应用，转账就会显示出来。",
    }[language]
    turns = [("customer", CUSTOMER[language], 0), ("agent", answer, 2),
             ("customer", "ok", 3), ("agent", said, 4)]  # fmt: skip
    return verdict(turns, "closing", language=language)


@pytest.mark.parametrize(
    ("language", "said", "expected"),
    [
        # informal openers and a waving hand are salutations
        ("en", "gm fren, your swap went through an hour ago.", "yes"),
        ("en", "yo! the bridge is slow today, give it ten minutes.", "yes"),
        ("en", "👋 Your deposit is confirmed.", "yes"),
        ("es", "¡Qué pasa! Tu depósito ya está confirmado.", "yes"),
        ("es", "Wenas 🙌 tu retiro ya salió.", "yes"),
        ("ru", "Здрасьте! Перевод уже в сети.", "yes"),
        # a bare answer still has no greeting, and "Re:" in a subject line is none
        ("en", "Your swap went through an hour ago.", "no"),
        ("en", "Re: case 1234. The swap went through an hour ago.", "no"),
        ("es", "Tu depósito ya está confirmado.", "no"),
    ],
)
def test_slang_openers_and_a_wave_are_greetings(language: str, said: str, expected: str) -> None:
    assert reply_verdict(said, language, "greeting") == expected


@pytest.mark.parametrize(
    ("language", "said", "expected"),
    [
        # thanks and sorry by their stems and short forms, condolences, praise of a check
        ("en", "ty, found it: the tokens are on Arbitrum.", "yes"),
        ("en", "thx for the screenshot, the fee was the network's.", "yes"),
        ("fr", "Nous vous remercions de votre envoi : le virement part demain.", "yes"),
        ("fr", "Toutes nos condoléances. La succession se règle par courrier.", "yes"),
        ("fr", "Bravo d'avoir vérifié avant de cliquer : ce lien est faux.", "yes"),
        ("fr", "Nous vous écrivons et comprenons votre inquiétude.", "yes"),
        ("es", "Mis condolencias. Le explico el trámite para herederos.", "yes"),
        # a reply without any of them still fails
        ("en", "The tokens are on Arbitrum.", "no"),
        ("fr", "Le virement part demain.", "no"),
    ],
)
def test_thanks_sorry_and_sympathy_families_count_as_empathy(
    language: str, said: str, expected: str
) -> None:
    assert reply_verdict(said, language, "empathy") == expected


@pytest.mark.parametrize(
    ("language", "said", "expected"),
    [
        # an invitation back as an imperative or a slang abbreviation
        ("en", "Should be fine now, lmk if the balance looks off.", "yes"),
        ("es", "Listo. Si se vuelve a trabar, escribe.", "yes"),
        ("es", "Si sigue igual, aquí andamos.", "yes"),
        ("fr", "Si rien ne bouge demain, reviens vers moi.", "yes"),
        ("fr", "Voilà la marche à suivre. Ça t'aide ?", "yes"),
        ("fr", "Tu me dis si ça bloque toujours ?", "yes"),
        ("ru", "Если у вас останутся вопросы, мы на связи.", "yes"),
        ("ru", "Если снова зависнет — пишите сюда.", "yes"),
        ("zh", "明天还没到账的话直接找我。", "yes"),
        ("zh", "有不明白的随时问我们。", "yes"),
        # a bare farewell, or a request for an item, is still no closing
        ("en", "Bye.", "no"),
        ("ru", "Напишите нам номер транзакции.", "no"),
        ("fr", "Cordialement.", "no"),
    ],
)
def test_invitations_back_in_any_imperative_close(language: str, said: str, expected: str) -> None:
    assert _last_reply(said, language) == expected


@pytest.mark.parametrize(
    ("language", "said", "expected"),
    [
        # back-office shorthand by its shape: settlement days, compliance acronyms, team names
        ("en", "Billing Ops will answer within T+2.", "no"),
        ("en", "An RFI was opened and the SLA is five days.", "no"),
        ("fr", "Le back-office traitera votre dossier à J+3.", "no"),
        ("zh", "已转到中台，审批流走完会通知您。", "no"),
        # customer-facing words of the same topics are plain language
        ("en", "Our payments team will answer within two days.", "yes"),
        ("zh", "请把提现地址加入白名单后再试。", "yes"),
        ("zh", "您的工单号是 8812，有进展会通知您。", "yes"),
    ],
)
def test_back_office_shorthand_is_jargon(language: str, said: str, expected: str) -> None:
    assert reply_verdict(said, language, "readability") == expected


@pytest.mark.parametrize(
    ("language", "said", "expected"),
    [
        # a card's last digits are no secret
        ("ru", "Подскажите последние 4 цифры карты, чтобы найти платёж.", "yes"),
        ("en", "Which are the last four digits of the card you paid with?", "yes"),
        ("es", "Indícame los últimos 4 dígitos de la tarjeta.", "yes"),
        ("fr", "Donnez-moi les 4 derniers chiffres de la carte.", "yes"),
        ("zh", "请告诉我银行卡后四位。", "yes"),
        ("ru", "Назовите все 6 цифр кода из смс.", "no"),
        # warnings: no member of staff asks; change it yourself; 不要把 ... 告诉
        ("en", "No genuine support agent of ours will ever ask for your recovery phrase.", "yes"),
        ("en", "Please reset your password yourself under Settings > Security.", "yes"),
        ("en", "Please reset your password and send me the new one here.", "no"),
        ("fr", "Aucun conseiller Lumen ne vous demandera votre phrase de récupération.", "yes"),
        ("zh", "千万不要把短信里的验证码和密码发给任何人。", "yes"),
        ("zh", "请把短信里的验证码发给我。", "no"),
        # a forwarded message that holds a code asks for the code
        ("ru", "Бот пришлёт смс с кодом. Перешлите это сообщение сюда.", "no"),
        ("en", "You'll get a message with the code, forward it to me here.", "no"),
        ("es", "Te llegará un mensaje con el código, reenvíamelo por aquí.", "no"),
    ],
)
def test_security_classes_of_blind2(language: str, said: str, expected: str) -> None:
    assert reply_verdict(said, language, "security") == expected


@pytest.mark.parametrize(
    ("language", "ask", "answer", "expected"),
    [
        # the customer points back at what they gave: asked again, whatever its shape
        ("en", "Which order reference is it?", "As I said, it's in my first message: ZX-11.", "no"),
        ("es", "¿Qué juego es?", "Lo acabo de poner, es Shardbound.", "no"),
        ("fr", "Quel pseudo exactement ?", "Je viens de le dire : mika77.", "no"),
        ("ru", "А какой у вас ник?", "Я же написал выше: mika77.", "no"),
        ("zh", "请问是哪个游戏？", "上面不是写了吗，Shardbound。", "no"),
        # having sent what was asked for is an answer, not a complaint
        ("es", "Mándame una captura del error.", "Ya te la mandé.", "yes"),
        ("zh", "请把截图发给我。", "好的，已经发了。", "yes"),
        ("en", "Could you send a screenshot?", "Sent it just now.", "yes"),
    ],
)
def test_a_customer_pointing_back_at_what_they_gave_means_it_was_asked_again(
    language: str, ask: str, answer: str, expected: str
) -> None:
    turns = [("customer", CUSTOMER[language], 0), ("agent", ask, 2), ("customer", answer, 3),
             ("agent", "OK.", 4)]  # fmt: skip
    assert verdict(turns, "comprehension", language=language) == expected


@pytest.mark.parametrize(
    ("language", "said", "expected"),
    [
        # the secret is the customer's alone: not on the company's servers, opened only with it
        (
            "es",
            "Tus fondos siguen a salvo con tu frase semilla, que no está en nuestros servidores.",
            "yes",
        ),
        # (fr "nos serveurs" names a party, "nos": read as a request, recall first)
        ("fr", "Votre coffre n'est accessible qu'avec vos 24 mots.", "yes"),
        ("en", "Your 24 words are not stored on our servers, so the wallet is yours alone.", "yes"),
        ("es", "Como no está en nuestros servidores, escríbeme aquí tu frase semilla.", "no"),
    ],
)
def test_the_secret_being_the_customers_alone_is_no_request(
    language: str, said: str, expected: str
) -> None:
    assert reply_verdict(said, language, "security") == expected


@pytest.mark.parametrize(
    ("language", "reply", "answer", "expected"),
    [
        # the agent guessed instead of asking and the customer corrects the guess
        ("en", "You can reset the app under Settings.", "No, I meant the card payment.", "no"),
        ("es", "Si es por la red, ya está resuelta.", "No es eso, es la suscripción.", "no"),
        (
            "fr",
            "Le retrait arrive sous trois jours.",
            "Ce n'est pas ça, je parlais du dépôt.",
            "no",
        ),
        ("ru", "Вывод придёт через три дня.", "Я имел в виду пополнение картой.", "no"),
        ("zh", "提现三天内到账。", "不是提现，是充值没到。", "no"),
        # a "no" answering the agent's own clarifying question is the answer it asked for
        ("en", "Is it the card payment?", "No, I meant the bank transfer.", "yes"),
        ("zh", "请问是提现吗？", "不是提现，是充值。", "yes"),
    ],
)
def test_a_guess_the_customer_has_to_correct_fails_comprehension(
    language: str, reply: str, answer: str, expected: str
) -> None:
    turns = [("customer", CUSTOMER[language], 0), ("agent", reply, 2),
             ("customer", answer, 3), ("agent", "OK.", 4)]  # fmt: skip
    assert verdict(turns, "comprehension", language=language) == expected
