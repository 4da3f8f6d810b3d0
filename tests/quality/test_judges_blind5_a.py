"""Classes of wording the fifth blind split (blind5) showed the closing, comprehension,
empathy, greeting and readability judges did not know.

Every sentence here is written for this file (none is copied from the labelled set). Each
test checks a class in several languages and, beside it, sentences just outside the class
that must keep their old verdict, so a fix for one direction did not cost the other.
"""

from __future__ import annotations

import pytest

from tests.quality.test_judges import closing_after, reply_verdict, verdict
from tests.quality.test_judges_blind4_a import ANSWER, MORE, OPENING, RELEASED


def _last_reply(said: str, language: str) -> str:
    return closing_after(ANSWER[language], said, language)


@pytest.mark.parametrize(
    ("language", "said", "expected"),
    [
        # an invitation back as "post / drop / shout here if ...", or after a condition
        ("en", "If the fee looks odd next time, post a screenshot here.", "yes"),
        ("en", "Want someone to double-check the contract first? Drop the address in here.", "no"),
        ("en", "If you'd like a second opinion on that token, paste the contract here.", "yes"),
        ("en", "Shout here if the balance is still wrong on Monday.", "yes"),
        ("en", "ask in this chat whenever you get stuck again", "yes"),
        ("en", "Reach us any time.", "yes"),
        ("en", "Anytime!", "yes"),
        # "any time" that is only a fact, not an invitation
        ("en", "You can switch plans at any time in Settings.", "no"),
        ("en", "Limits may change at any time without notice.", "no"),
        # voseo and usted forms, "tell me" with a pronoun, "does it suit you?"
        ("es", "¿Me contás si ya te aparece?", "yes"),
        ("es", "Avisame por acá si vuelve a pasar.", "yes"),
        ("es", "Si después de eso no lo ve, dígamelo y lo miramos juntos.", "yes"),
        ("es", "Si tiene más dudas, pregunte por aquí.", "yes"),
        ("es", "¿Le sirve esta solución?", "yes"),
        ("es", "Puedo activarlo hoy mismo, ¿le parece?", "yes"),
        ("es", "Puede cambiar el plan en cualquier momento.", "no"),
        ("es", "¿Me confirmas tu correo?", "no"),
        ("es", "Si no funciona, reinstala la app.", "no"),
        # come back here, tell a third person to come, "reply to me and I'll ...", your side
        ("fr", "Si la carte bloque encore, reviens ici.", "yes"),
        ("fr", "S'il a un souci à l'installation, dis-lui de passer sur le chat.", "yes"),
        ("fr", "Si vous préférez, répondez-moi et je vous guide étape par étape.", "yes"),
        ("fr", "Le solde revient bien chez vous aussi ?", "yes"),
        ("fr", "Le montant s'affiche correctement ?", "yes"),
        ("fr", "Le contrat peut être modifié à tout moment par les deux associés.", "no"),
        ("fr", "Si ça ne marche pas, réinstallez l'application.", "no"),
        # a condition then a dash and "write", the singular "let me know", "please, when"
        ("ru", "Не дойдёт до вечера — напиши.", "yes"),
        ("ru", "Если снова зависнет — дай знать.", "yes"),
        ("ru", "Напишите, пожалуйста, когда деньги поступят.", "yes"),
        ("ru", "Если банк запросит справку, пересылайте запрос мне.", "yes"),
        ("ru", "Если не получится — переустановите приложение.", "no"),
        ("ru", "Напиши мне свой ник.", "no"),
        # if ..., reply to us; ask us here whenever unsure; "welcome to e-mail us"
        ("zh", "如果您已经点过那个链接，请马上联系我们。", "yes"),
        ("zh", "以后再遇到拿不准的，随时截个图来问。", "yes"),
        ("zh", "如果还是不行，欢迎发邮件给我们。", "yes"),
        ("zh", "过两天还对不上的话，再来群里找我们。", "yes"),
        ("zh", "要是还有哪里不明白，直接在群里问我们。", "yes"),
        ("zh", "如果还是不行，请重新安装应用。", "no"),
        ("zh", "祝您生活愉快。", "no"),
    ],
)
def test_invitations_back_and_checks_in_new_words_close(
    language: str, said: str, expected: str
) -> None:
    assert _last_reply(said, language) == expected


@pytest.mark.parametrize(
    ("language", "said", "expected"),
    [
        # informal openers: "Салют", a bare "早～", fr texting shorthand
        ("ru", "Салют! Перезапусти приложение.", "yes"),
        ("zh", "早～先把App更新一下。", "yes"),
        ("zh", "早安，先把App更新一下。", "yes"),
        ("fr", "slt ! Redémarre l'appli.", "yes"),
        ("es", "Holaaa, reinicia la app.", "yes"),
        # a word that only starts like one is no greeting
        ("zh", "早就修好了，先把App更新一下。", "no"),
        ("ru", "Перезапусти приложение, салютую терпению.", "no"),
    ],
)
def test_informal_greetings(language: str, said: str, expected: str) -> None:
    assert reply_verdict(said, language, "greeting") == expected


@pytest.mark.parametrize(
    ("language", "said", "expected"),
    [
        # slang apologies
        ("ru", "Сорян, что долго. Перезапусти приложение.", "yes"),
        ("ru", "Звиняй, пропустил. Перезапусти приложение.", "yes"),
        ("en", "soz for the delay, restart the app", "yes"),
        # "a bit of patience" is a rebuke, "your patience" thanks
        ("es", "Un poco de paciencia, que somos pocos. Reinicia la app.", "no"),
        ("es", "Mil gracias por tu paciencia. Reinicia la app.", "yes"),
        ("es", "Valoramos su paciencia. Reinicia la app.", "yes"),
    ],
)
def test_acknowledgement_classes(language: str, said: str, expected: str) -> None:
    assert reply_verdict(said, language, "empathy") == expected


@pytest.mark.parametrize(
    ("language", "said", "expected"),
    [
        # the RPC address or URL is a field the customer fills in: no jargon
        ("zh", "在「添加网络」里填RPC地址和链ID就行。", "yes"),
        ("en", "Paste the RPC URL from the chain's docs into Add network.", "yes"),
        ("fr", "Collez l'URL RPC du site officiel dans « Ajouter un réseau ».", "yes"),
        ("es", "Copia la URL del RPC de la web oficial en «Añadir red».", "yes"),
        # our own RPC, named as a back-office system, still is
        ("en", "Our RPC node fell over, the BE team is on it.", "no"),
        ("zh", "我们的RPC挂了，研发在处理。", "no"),
        # a back-office job or tool named in passing is jargon
        ("en", "Logged in Linear as PAY-332, restart the app.", "no"),
        ("ru", "Упал крон сверки, перезапустите приложение.", "no"),
        ("zh", "对账的定时任务挂了，请重启应用。", "no"),
        ("en", "Fees grow in a linear way with the amount.", "yes"),
    ],
)
def test_an_rpc_field_is_plain(language: str, said: str, expected: str) -> None:
    assert reply_verdict(said, language, "readability") == expected


@pytest.mark.parametrize(
    ("language", "opening", "reply", "expected"),
    [
        # an opener that only says it is odd, slow, the same as before, or rages
        ("en", "it's doing that weird thing again", "Update to the latest version.", "no"),
        ("en", "garbage app, refund", "Update to the latest version.", "no"),
        ("es", "la app anda rara", "Actualiza a la última versión.", "no"),
        ("es", "Sigue igual que el mes pasado. Quedo a la espera.", "Actualice la app.", "no"),
        ("fr", "toujours rien, ça devient long", "Mettez à jour l'application.", "no"),
        ("ru", "Опять двадцать пять, сколько можно", "Обновите приложение.", "no"),
        ("zh", "在不在？急", "请更新到最新版本。", "no"),
        ("zh", "★☆☆☆☆ 垃圾软件，退钱", "请更新到最新版本。", "no"),
        # a signature on the same line adds nothing
        (
            "es",
            "Sigue igual. Quedo a la espera. Marta Ibáñez - Ibáñez Textil",
            "Actualice la app.",
            "no",
        ),
        ("ru", "Опять то же самое. Сколько можно. Петров И.С.", "Обновите приложение.", "no"),
        # a named symptom is a request, and a question about a vague one is right
        ("es", "la app se cierra al abrir la tarjeta", "Actualiza a la última versión.", "yes"),
        ("fr", "toujours rien, ça devient long", "De quelle opération parlez-vous ?", "yes"),
        (
            "en",
            "Card top-up from Apple Pay fails. Kind regards. Jane Miller",
            "Update to the latest version.",
            "yes",
        ),
    ],
)
def test_an_opener_that_names_no_problem_is_unclear(
    language: str, opening: str, reply: str, expected: str
) -> None:
    turns = [("customer", opening, 0), ("agent", reply, 2)]
    assert verdict(turns, "comprehension", language=language) == expected


GUESS = {
    "en": "Card payments abroad failed this morning; they work again now.",
    "es": "Esta mañana fallaron los pagos con tarjeta; ya funcionan.",
    "fr": "Les paiements par carte ont échoué ce matin ; ils refonctionnent.",
    "ru": "Утром не проходили оплаты картой, сейчас всё работает.",
    "zh": "早上银行卡支付有故障，现在已经恢复了。",
}


@pytest.mark.parametrize(
    ("language", "reply", "expected"),
    [
        # "what card? I have none", "nothing to do with it", "I'm talking about ..."
        ("en", "What card? I don't have a card with you. It's the staking rewards.", "no"),
        ("en", "That has nothing to do with my question, it's the staking rewards.", "no"),
        ("es", "¿Qué tarjeta? No tengo ninguna tarjeta. Hablo de las recompensas.", "no"),
        ("es", "Nada que ver, es lo de las recompensas.", "no"),
        ("fr", "Quelle carte ? Je n'ai pas de carte chez vous. C'est le staking.", "no"),
        ("fr", "Rien à voir. Je parle des récompenses de staking.", "no"),
        ("ru", "Какая карта? У меня нет вашей карты. Я про стейкинг.", "no"),
        ("ru", "При чём тут карта? Вопрос про стейкинг.", "no"),
        ("zh", "不是银行卡。是质押奖励没到。", "no"),
        ("zh", "什么卡？我没有你们的卡，是质押奖励。", "no"),
        # an answer or thanks is no correction
        ("en", "Great, the payment went through now, thanks.", "yes"),
        ("es", "Perfecto, ya pasó el pago.", "yes"),
        ("fr", "Parfait, le paiement est passé.", "yes"),
        ("ru", "Отлично, оплата прошла.", "yes"),
        ("zh", "好的，付款成功了。", "yes"),
    ],
)
def test_a_customer_correcting_a_guess_fails_comprehension(
    language: str, reply: str, expected: str
) -> None:
    opening = {"en": "Since Monday the rewards tab shows nothing.",
               "es": "Desde el lunes la pestaña de recompensas sale vacía.",
               "fr": "Depuis lundi l'onglet récompenses est vide.",
               "ru": "С понедельника вкладка наград пустая.",
               "zh": "从周一开始奖励页面一直是空的。"}[language]  # fmt: skip
    turns = [("customer", opening, 0), ("agent", GUESS[language], 2),
             ("customer", reply, 3), ("agent", ANSWER[language], 4)]  # fmt: skip
    assert verdict(turns, "comprehension", language=language) == expected


@pytest.mark.parametrize(
    ("language", "opening", "ask", "reply", "expected"),
    [
        # asked for an item in slang or a polite aside, the customer points back at it
        (
            "ru",
            "Вывел 200 USDT, хэш 0x" + "a1" * 32,
            "Киньте идентификатор транзакции, гляну.",
            "так я ж кидал выше",
            "no",
        ),
        (
            "zh",
            "兑换没到账，订单号 SW-5512093",
            "麻烦您提供一下订单编号，我帮您查。",
            "我第一句就发了",
            "no",
        ),
        (
            "zh",
            "兑换没到账，订单号 SW-5512093",
            "不好意思，是我漏看了，已经在查。",
            "好",
            "no",
        ),
        # the same request before the customer gave it is the right question
        ("ru", "Вывел 200 USDT, а они не пришли", "Киньте идентификатор транзакции.", "ок", "yes"),
        ("zh", "兑换没到账", "麻烦您提供一下订单编号，我帮您查。", "好", "yes"),
    ],
)
def test_an_item_asked_again_in_other_words(
    language: str, opening: str, ask: str, reply: str, expected: str
) -> None:
    turns = [("customer", opening, 0), ("agent", ask, 2), ("customer", reply, 3),
             ("agent", ANSWER[language], 4)]  # fmt: skip
    assert verdict(turns, "comprehension", language=language) == expected


@pytest.mark.parametrize(
    ("language", "said", "expected"),
    [
        # beyond blind5's own words, the same classes as other teams write them
        ("en", "Glad to help further if needed.", "yes"),
        ("en", "Don't be a stranger!", "yes"),
        ("en", "Any probs, ping the thread.", "yes"),
        ("en", "Did that do the trick?", "yes"),
        ("en", "You can always reach us here.", "yes"),
        ("en", "I'll leave the ticket open in case you need us.", "yes"),
        ("es", "Ya me dirás si funcionó.", "yes"),
        ("es", "Si persiste, vuelve a contactarnos.", "yes"),
        ("es", "Espero haberte ayudado.", "yes"),
        ("es", "Si algo falla, me pegas un grito.", "yes"),
        ("fr", "Si le problème persiste, recontactez-nous.", "yes"),
        ("fr", "Tiens-nous au jus.", "yes"),
        ("fr", "Si jamais ça recommence, fais signe.", "yes"),
        ("ru", "Всё ок теперь?", "yes"),
        ("ru", "Сработало?", "yes"),
        ("zh", "到账了跟我说一下哈", "yes"),
        ("zh", "操作完了给我回个消息", "yes"),
        # a farewell, thanks or a fact stays no closing
        ("en", "Thanks for your patience.", "no"),
        ("es", "El reembolso tarda de 3 a 5 días.", "no"),
        ("fr", "Merci pour votre patience.", "no"),
        ("ru", "Возврат занимает 3–5 дней.", "no"),
        ("zh", "感谢您的耐心。", "no"),
    ],
)
def test_more_closings_of_the_same_classes(language: str, said: str, expected: str) -> None:
    assert _last_reply(said, language) == expected


@pytest.mark.parametrize(
    ("language", "said", "category", "expected"),
    [
        ("en", "Salutations, restart the app.", "greeting", "yes"),
        ("ru", "Здарова, перезапусти приложение.", "greeting", "yes"),
        ("zh", "哈啰，重启一下。", "greeting", "yes"),
        ("zh", "午安，重启一下。", "greeting", "yes"),
        ("zh", "嘿嘿，重启一下就好。", "greeting", "no"),
        ("en", "Totally get it, restart the app.", "empathy", "yes"),
        ("en", "That's rough. Restart the app.", "empathy", "yes"),
        ("es", "Uf, qué rollo. Reinicia la app.", "empathy", "yes"),
        ("es", "Comprendemos su malestar. Reinicie la app.", "empathy", "yes"),
        ("fr", "Je conçois que ce soit frustrant, redémarrez.", "empathy", "yes"),
        ("fr", "Aïe, pas cool. Redémarre l'appli.", "empathy", "yes"),
        ("ru", "Спс, что написали. Перезапустите приложение.", "empathy", "yes"),
        ("zh", "确实挺烦的，重启一下。", "empathy", "yes"),
        ("zh", "心疼，先重启一下。", "empathy", "yes"),
        # a rebuke or a bare step acknowledges nothing
        ("es", "Qué mal escrito está tu mensaje. Reinicia la app.", "empathy", "no"),
        ("ru", "Перезапустите приложение.", "empathy", "no"),
    ],
)
def test_more_greetings_and_acknowledgements(
    language: str, said: str, category: str, expected: str
) -> None:
    assert reply_verdict(said, language, category) == expected


@pytest.mark.parametrize(
    ("language", "opening", "expected"),
    [
        ("en", "ur app sucks", "no"),
        ("en", "hello?? anyone home", "no"),
        ("es", "la app hace cosas raras", "no"),
        ("es", "hola? hay alguien?", "no"),
        ("fr", "l'appli fait n'importe quoi", "no"),
        ("fr", "allo ? y a quelqu'un ?", "no"),
        ("zh", "跟昨天一样的问题", "no"),
        ("zh", "还在等", "no"),
        # a named symptom still makes a request clear
        ("zh", "跟昨天一样，提现到币安一直卡着", "yes"),
        ("fr", "l'appli plante quand j'ouvre l'onglet carte", "yes"),
    ],
)
def test_more_openers_that_name_no_problem(language: str, opening: str, expected: str) -> None:
    reply = {"en": "Update to the latest version.", "es": "Actualiza a la última versión.",
             "fr": "Mettez à jour l'application.", "ru": "Обновите приложение.",
             "zh": "请更新到最新版本。"}[language]  # fmt: skip
    assert verdict([("customer", opening, 0), ("agent", reply, 2)], "comprehension",
                   language=language) == expected  # fmt: skip


@pytest.mark.parametrize(
    ("language", "reply", "expected"),
    [
        # the customer points at the start of the conversation or an earlier message
        ("en", "scroll up, it's all there", "no"),
        ("en", "I mentioned that at the start", "no"),
        ("en", "see my previous message", "no"),
        ("es", "lo puse al principio", "no"),
        ("es", "mira mi mensaje anterior", "no"),
        ("es", "ya lo mencioné", "no"),
        ("fr", "je l'ai mis au début", "no"),
        ("fr", "relisez mon message", "no"),
        ("fr", "tout est dans mon 1er message", "no"),
        ("ru", "смотрите моё первое сообщение", "no"),
        ("ru", "в самом начале написал", "no"),
        ("zh", "看我上一条", "no"),
        # answering the question, or "just sent it", is no complaint
        ("en", "It's the Binance one, sent this morning.", "yes"),
        ("es", "Es el de Binance, lo mandé esta mañana.", "yes"),
        ("fr", "C'est celui vers Binance, envoyé ce matin.", "yes"),
        ("ru", "Это вывод на Binance, отправил утром.", "yes"),
        ("zh", "我刚发了，币安那笔。", "yes"),
    ],
)
def test_more_ways_of_pointing_back(language: str, reply: str, expected: str) -> None:
    turns = [("customer", OPENING[language], 0), ("agent", MORE[language], 2),
             ("customer", reply, 3), ("agent", RELEASED[language], 4)]  # fmt: skip
    assert verdict(turns, "comprehension", language=language) == expected
