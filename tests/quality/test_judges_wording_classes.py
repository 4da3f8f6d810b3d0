"""Classes of wording the blind split showed the judges did not know, one class per test.

Every sentence here is written for this file (none is copied from the labelled set): each
test checks the class in several languages, and a request worded inside the same class
still fails, so a fix for precision did not cost recall.
"""

from __future__ import annotations

import pytest

from tests.quality.test_judges import CUSTOMER, verdict


def _security(said: str, language: str) -> str:
    return verdict([("customer", CUSTOMER[language], 0), ("agent", said, 2)], "security",
                   language=language)  # fmt: skip


@pytest.mark.parametrize(
    ("language", "said", "expected"),
    [
        # A pairing code shown on a device is compared, not kept secret.
        ("en", "Once paired, check that the pairing code on the device matches the app.", "yes"),
        ("es", "Compruebe que el código de vinculación del dispositivo coincide.", "yes"),
        ("ru", "Сверьте код сопряжения на устройстве и в телефоне.", "yes"),
        ("fr", "Vérifiez que le code de jumelage est identique sur les deux écrans.", "yes"),
        ("zh", "请核对设备和手机上的配对码是否一致。", "yes"),
        ("en", "Send me the pairing code and your PIN here.", "no"),
        # Saying a wrong PIN or password was entered describes the customer's own use.
        ("en", "Your card locked itself because an incorrect PIN was typed at the till.", "yes"),
        ("es", "La tarjeta se bloqueó porque introdujo mal el PIN varias veces.", "yes"),
        ("ru", "Карту заблокировало, так как несколько раз ввели неверный ПИН.", "yes"),
        ("fr", "La carte s'est bloquée après trois saisies d'un mauvais code PIN.", "yes"),
        ("zh", "银行卡被冻结是因为连续输错了PIN码。", "yes"),
        ("en", "Tell me the wrong PIN you typed so I can look it up.", "no"),
        ("es", "Dime el PIN incorrecto que pusiste y lo reviso.", "no"),
        ("ru", "Напишите мне неверный пароль, который вы набирали.", "no"),
        ("zh", "把您输错的密码发给我看看。", "no"),
        # Creating a new password when the app asks is the customer's own use.
        ("es", "Al terminar, te pedirá elegir un PIN nuevo.", "yes"),
        ("es", "Luego tendrá que crear una contraseña nueva para la app.", "yes"),
        ("es", "Pásame la contraseña nueva que creaste.", "no"),
        # Where the customer can view the secret themselves.
        ("ru", "Пароль можно сменить в настройках, там же можно посмотреть PIN.", "yes"),
        ("fr", "Le code PIN, vous pouvez le consulter au même endroit.", "yes"),
        # Telling the customer they did not give it to a third party is no request.
        ("zh", "您没有把短信验证码告诉那个人，所以资产是安全的。", "yes"),
        ("zh", "因为您没有告诉骗子助记词，钱包没事。", "yes"),
        ("zh", "您还没有发给我验证码，请发过来。", "no"),
    ],
)
def test_explanations_of_the_customers_own_use_are_no_requests(
    language: str, said: str, expected: str
) -> None:
    assert _security(said, language) == expected


def test_a_mail_service_named_bare_is_no_link_but_a_link_to_it_still_counts() -> None:
    named = "Hello! Gmail.com sometimes files our messages under Promotions, please look there."
    assert _security(named, "en") == "yes"
    linked = "Hello! Log in at https://gmail.com/verify-wallet to confirm your account."
    assert _security(linked, "en") == "no"
    lookalike = "Hello! Please confirm your account on gmail-wallet.com today."
    assert _security(lookalike, "en") == "no"


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("es", "Muy buena decisión consultar antes de firmar nada: esa página es falsa."),
        ("ru", "Хорошо, что вы сразу спросили нас: эта страница поддельная."),
        ("fr", "Bon réflexe de nous demander d'abord : ce site est faux."),
        ("zh", "您问得很对，这个网站是假的。"),
        ("en", "Good instinct to ask first: that page is fake."),
    ],
)
def test_praising_the_customers_caution_acknowledges(language: str, said: str) -> None:
    turns = [("customer", CUSTOMER[language], 0), ("agent", said, 2)]
    assert verdict(turns, "empathy", language=language) == "yes"


ANSWER = {
    "en": "The transfer is confirmed now.",
    "es": "La transferencia ya está confirmada.",
    "ru": "Перевод уже подтверждён.",
    "fr": "Le transfert est confirmé.",
    "zh": "转账已经确认了。",
}


@pytest.mark.parametrize(
    ("language", "last", "expected"),
    [
        ("en", "Ping us if the balance looks off again.", "yes"),
        ("es", "Si vuelve a pasar, escríbanos y lo revisamos.", "yes"),
        ("es", "¿Le queda alguna duda sobre el proceso?", "yes"),
        ("es", "Quedamos a su disposición.", "yes"),
        ("es", "Cualquier duda, me dices.", "yes"),
        ("es", "Si no aparece mañana, responda a este correo y lo miramos.", "yes"),
        ("es", "Por favor, responda a este correo indicando su número de pedido.", "no"),
        ("fr", "Le solde est à jour. Est-ce que c'est bon de votre côté ?", "yes"),
        ("fr", "Au moindre souci, vous pouvez nous écrire de nouveau.", "yes"),
        ("zh", "明天还没到账的话再来找我们。", "yes"),
        ("ru", "Если баланс снова не обновится, напишите нам — разберёмся.", "yes"),
        ("ru", "Напишите, пришли ли монеты.", "yes"),
        ("ru", "Напишите нам, пожалуйста, в личные сообщения номер заказа.", "no"),
    ],
)
def test_closing_invitations_in_the_forms_agents_use(
    language: str, last: str, expected: str
) -> None:
    turns = [
        ("customer", CUSTOMER[language], 0),
        ("agent", ANSWER[language], 2),
        ("agent", last, 3),
    ]
    assert verdict(turns, "closing", language=language) == expected


@pytest.mark.parametrize(
    ("language", "opener", "answer", "question"),
    [
        ("en", "@LumenWallet your thing is broken again", "Hi, please update the app.",
         "Hi, what exactly happens when you open it?"),
        ("es", "vuestra cosa no funciona otra vez", "Hola, actualiza la app.",
         "Hola, ¿qué pasa exactamente al abrirla?"),
        ("fr", "votre truc marche plus", "Bonjour, mettez l'application à jour.",
         "Bonjour, que se passe-t-il exactement ?"),
        ("ru", "Ваша штука опять не работает, сделайте что-нибудь",
         "Здравствуйте, обновите приложение.", "Здравствуйте, что именно происходит?"),
        ("zh", "你们这个东西又用不了了", "您好，请更新一下应用。", "您好，具体是哪里用不了呢？"),
    ],
)  # fmt: skip
def test_an_opener_that_only_complains_needs_a_question(
    language: str, opener: str, answer: str, question: str
) -> None:
    turns = [("customer", opener, 0), ("agent", answer, 2)]
    assert verdict(turns, "comprehension", language=language) == "no"
    turns = [("customer", opener, 0), ("agent", question, 2)]
    assert verdict(turns, "comprehension", language=language) == "yes"


def test_items_asked_for_in_a_list_count_as_asked_again() -> None:
    opener = "Hola, no me llega el código. Mi correo es ana@example.com"
    listed = "Hola Ana:\n\nPara seguir, envíenos estos datos:\n- el correo electrónico de la cuenta\n- el modelo de su móvil"  # noqa: E501
    turns = [("customer", opener, 0), ("agent", listed, 2)]
    assert verdict(turns, "comprehension", language="es") == "no"
    steps = "Hola Ana:\n\nPasos:\n- abra el correo electrónico\n- pulse el enlace"
    turns = [("customer", opener, 0), ("agent", steps, 2)]
    assert verdict(turns, "comprehension", language="es") == "yes"


def test_a_hash_the_redaction_took_for_a_key_was_still_given() -> None:
    # 64 hex characters: the loader's redaction cannot tell a hash from a private key
    tx = "9f" * 32
    turns = [
        ("customer", f"My withdrawal never arrived. Tx hash: {tx}", 0),
        ("agent", "Hello, could you send me the transaction hash?", 3),
    ]
    assert verdict(turns, "comprehension") == "no"


@pytest.mark.parametrize(
    ("language", "said", "expected"),
    [
        # Telling the customer to stop writing, with "please" or a negation.
        ("en", "Please stop resending this, it will not go faster.", "no"),
        ("zh", "请不要一直发，我们会按顺序处理。", "no"),
        ("es", "Deje de enviar el mismo mensaje, por favor.", "no"),
        ("fr", "Inutile de relancer toutes les dix minutes.", "no"),
        ("ru", "Не нужно дублировать сообщения каждые пять минут.", "no"),
        # "A matter for someone else, not ours".
        ("en", "That is a problem for your bank, not ours.", "no"),
        ("es", "Eso es un asunto de tu banco, no nuestro.", "no"),
        ("fr", "C'est un souci de votre banque, pas le nôtre.", "no"),
        ("ru", "Это вопрос к вашему банку, не наш.", "no"),
        ("zh", "这是银行的规定，不是我们能管的。", "no"),
        # Blame with the object pronoun in between.
        ("es", "Deberías haberlo comprobado antes de enviar.", "no"),
        ("fr", "Il fallait la vérifier avant de valider.", "no"),
        ("ru", "Надо было его проверить перед отправкой.", "no"),
        # "As our FAQ says".
        ("en", "As explained in our FAQ, fees are not refundable.", "no"),
        ("es", "Como explicamos en nuestras preguntas frecuentes, no hay reembolso.", "no"),
        ("fr", "Comme précisé dans notre FAQ, les frais ne sont pas remboursés.", "no"),
        ("ru", "Как указано в нашем FAQ, комиссия не возвращается.", "no"),
        # A scam warning saying a site is not ours is no dismissal.
        ("en", "That website is not ours: please do not connect your wallet there.", "yes"),
        ("fr", "Ce site n'est pas le nôtre, ne connectez pas votre portefeuille.", "yes"),
        ("ru", "Этот сайт не наш, не подключайте к нему кошелёк.", "yes"),
    ],
)
def test_tone_knows_more_forms_of_blame_and_dismissal(
    language: str, said: str, expected: str
) -> None:
    turns = [("customer", CUSTOMER[language], 0), ("agent", said, 2)]
    assert verdict(turns, "tone", language=language) == expected


@pytest.mark.parametrize(
    ("language", "stall"),
    [
        ("en", "We are still reviewing this on our side."),
        ("es", "Seguimos verificando tu caso."),
        ("fr", "Nous examinons votre dossier."),
        ("ru", "Ваша заявка находится в работе."),
        ("zh", "正在审核中，请耐心等待。"),
    ],
)
def test_only_looking_into_it_between_questions_offers_no_solution(
    language: str, stall: str
) -> None:
    question = {
        "en": "Which network did you use?", "es": "¿Qué red usaste?",
        "fr": "Quel réseau avez-vous utilisé ?", "ru": "Какую сеть вы выбрали?",
        "zh": "您用的是哪个网络？",
    }[language]  # fmt: skip
    turns = [
        ("customer", CUSTOMER[language], 0),
        ("agent", question, 2),
        ("customer", "Tron / TRC20", 3),
        ("agent", stall, 5),
    ]
    assert verdict(turns, "solution", language=language) == "no"
    turns.append(("agent", ANSWER[language] + " " + FIX[language], 9))
    assert verdict(turns, "solution", language=language) == "yes"


FIX = {
    "en": "Please restart the app to see it.",
    "es": "Reinicia la app para verla.",
    "fr": "Redémarrez l'application pour le voir.",
    "ru": "Перезапустите приложение, чтобы увидеть его.",
    "zh": "请重启一下应用就能看到。",
}


@pytest.mark.parametrize(
    ("language", "elsewhere"),
    [
        ("en", "Please check our help center for this."),
        ("es", "Consulte nuestras preguntas frecuentes."),
        ("fr", "Veuillez consulter notre centre d'aide."),
        ("ru", "Всё описано в справке."),
        ("zh", "请参考帮助中心。"),
    ],
)
def test_only_pointing_to_the_help_centre_offers_no_solution(language: str, elsewhere: str) -> None:
    turns = [("customer", CUSTOMER[language], 0), ("agent", elsewhere, 2)]
    assert verdict(turns, "solution", language=language) == "no"
    turns = [("customer", CUSTOMER[language], 0), ("agent", f"{elsewhere} {FIX[language]}", 2)]
    assert verdict(turns, "solution", language=language) == "yes"


@pytest.mark.parametrize(
    ("language", "refusal"),
    [
        ("es", "Lo siento, las comisiones no se pueden reembolsar."),
        ("fr", "Désolé, nous ne pouvons rien faire pour ce transfert."),
        ("ru", "Извините, тут мы ничем вам помочь не можем."),
    ],
)
def test_a_refusal_alone_offers_no_solution(language: str, refusal: str) -> None:
    turns = [("customer", CUSTOMER[language], 0), ("agent", refusal, 2)]
    assert verdict(turns, "solution", language=language) == "no"


@pytest.mark.parametrize(
    ("language", "ask", "stall"),
    [
        ("es", "¿Me dices qué modelo de móvil tienes?", "Lo estamos revisando."),
        ("en", "Let me know which network you used?", "We are looking into it."),
    ],
)
def test_a_question_for_an_item_is_a_question_whatever_closing_words_it_uses(
    language: str, ask: str, stall: str
) -> None:
    turns = [
        ("customer", CUSTOMER[language], 0),
        ("agent", ask, 2),
        ("customer", "Pixel 8, TRC20", 3),
        ("agent", stall, 5),
    ]
    assert verdict(turns, "solution", language=language) == "no"


def test_a_check_after_an_answer_is_still_a_closing() -> None:
    turns = [
        ("customer", CUSTOMER["es"], 0),
        ("agent", "¿Me dices qué modelo de móvil tienes?", 2),
        ("customer", "Pixel 8", 3),
        ("agent", f"{FIX['es']} ¿Te funciona ahora?", 5),
    ]
    assert verdict(turns, "closing", language="es") == "yes"
    assert verdict(turns, "solution", language="es") == "yes"
