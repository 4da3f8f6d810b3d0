"""Classes of wording the fourth blind split (blind4) showed the closing, comprehension,
readability and empathy judges did not know.

Every sentence here is written for this file (none is copied from the labelled set). Each
test checks a class in several languages and, beside it, sentences just outside the class
that must keep their old verdict, so a fix for one direction did not cost the other.
"""

from __future__ import annotations

import pytest

from tests.quality.test_judges import closing_after, reply_verdict, verdict

ANSWER = {
    "en": "The refund was sent back to your card at 09:40.",
    "es": "El reembolso volvió a tu tarjeta a las 09:40.",
    "fr": "Le remboursement est reparti sur votre carte à 9 h 40.",
    "ru": "Возврат ушёл на вашу карту в 09:40.",
    "zh": "退款已在09:40退回到您的卡上。",
}


def _last_reply(said: str, language: str) -> str:
    return closing_after(ANSWER[language], said, language)


@pytest.mark.parametrize(
    ("language", "said", "expected"),
    [
        # come back / reply, put as "pop back", "hit reply", a bare "just message"
        ("en", "If it's still missing tomorrow, pop back here and we'll chase it.", "yes"),
        ("en", "Still stuck after that? Hit reply and I'll take another look.", "yes"),
        ("en", "any trouble with it, just shout 🙌", "yes"),
        ("en", "Should it fail again, send us a message and we'll dig in.", "yes"),
        # a check on the outcome, however long: on your side, did it change, all good now?
        ("en", "Is the payment showing on your end yet?", "yes"),
        ("en", "Did the status change to completed for you?", "yes"),
        ("en", "Has the balance updated for you?", "yes"),
        ("en", "all fine on your side now?", "yes"),
        ("en", "Working now?", "yes"),
        ("en", "Were you able to withdraw?", "yes"),
        ("en", "We trust this resolves your query.", "yes"),
        # a condition, then an invitation in the usted form or after the condition
        ("es", "Si mañana sigue sin aparecer, escríbenos por aquí.", "yes"),
        ("es", "Si vuelve a fallar, avíseme y lo reviso.", "yes"),
        ("es", "¿Lo ves ya en el historial?", "yes"),
        ("es", "¿Ahora sí te sale el saldo correcto?", "yes"),
        ("es", "Nos cuentas cómo te va.", "yes"),
        ("fr", "Si le solde n'apparaît pas demain, vous nous recontactez ici.", "yes"),
        ("fr", "Tu reviens vers moi si ça recommence.", "yes"),
        ("fr", "Vous voyez bien le remboursement maintenant ?", "yes"),
        ("fr", "Tout fonctionne de votre côté ?", "yes"),
        ("fr", "Le virement est bien arrivé ?", "yes"),
        ("fr", "Le solde s'affiche correctement maintenant ?", "yes"),
        ("ru", "Если завтра не появится, напишите нам в чат.", "yes"),
        ("ru", "Если снова не получится, ответьте на это сообщение.", "yes"),
        ("ru", "Видите теперь перевод в истории?", "yes"),
        ("ru", "Баланс обновился?", "yes"),
        ("ru", "Деньги дошли до карты?", "yes"),
        ("zh", "如果明天还没到账，私信我。", "yes"),
        ("zh", "下次遇到这种情况，截图发过来我帮您查。", "yes"),
        ("zh", "现在能看到余额了吗？", "yes"),
        ("zh", "后面有任何情况随时私信。", "yes"),
        # a bare farewell, a step pointing elsewhere and a diagnostic question stay no
        ("en", "Enjoy the rest of your week!", "no"),
        ("en", "If it fails again, contact your bank.", "no"),
        ("en", "Can you see the error message?", "no"),
        ("es", "Si no funciona, reinstala la app.", "no"),
        ("fr", "Vous voyez un message d'erreur ?", "no"),
        ("fr", "Bonne soirée.", "no"),
        ("ru", "Если не получится, переустановите приложение.", "no"),
        ("zh", "如果还不行，请重新安装应用。", "no"),
        ("zh", "如果方便，发我一下截图。", "no"),
    ],
)
def test_invitations_back_and_outcome_checks_by_class_close(
    language: str, said: str, expected: str
) -> None:
    assert _last_reply(said, language) == expected


OPENING = {
    "en": "My withdrawal of 300 USDT to Binance has been stuck since this morning.",
    "es": "Mi retiro de 300 USDT a Binance está atascado desde esta mañana.",
    "fr": "Mon retrait de 300 USDT vers Binance est bloqué depuis ce matin.",
    "ru": "Мой вывод 300 USDT на Binance завис с утра.",
    "zh": "我提现300 USDT到币安，从早上一直卡着。",
}
MORE = {
    "en": "Could you tell me more about the problem?",
    "es": "¿Me cuentas un poco más del problema?",
    "fr": "Pouvez-vous m'en dire plus sur le problème ?",
    "ru": "Расскажите подробнее, что случилось?",
    "zh": "能详细说一下是什么问题吗？",
}
RELEASED = {
    "en": "Thanks, it is released now.",
    "es": "Gracias, ya está liberado.",
    "fr": "Merci, c'est débloqué.",
    "ru": "Спасибо, вывод разблокирован.",
    "zh": "谢谢，已经放行了。",
}


@pytest.mark.parametrize(
    ("language", "reply", "expected"),
    [
        # the customer points back at what they wrote, in any words
        ("en", "Like I told you, it's the Binance withdrawal.", "no"),
        ("en", "I literally wrote that in my first msg.", "no"),
        ("en", "Binance, 300 USDT. Did you even read my message?", "no"),
        ("es", "Como te dije, es el retiro a Binance.", "no"),
        ("es", "¿No leíste mi mensaje? Binance, 300 USDT.", "no"),
        ("fr", "Comme je vous l'ai dit, c'est le retrait Binance.", "no"),
        ("fr", "Je vous les ai données hier : Binance, 300 USDT.", "no"),
        ("ru", "Как я уже сказал, вывод на Binance.", "no"),
        ("ru", "Вы читали моё сообщение? Binance, 300 USDT.", "no"),
        ("zh", "我刚才说了啊，币安，300 USDT。", "no"),
        ("zh", "你没看我的消息吗？币安，300 USDT。", "no"),
        # an answer to the question is no complaint
        ("en", "ok, 300 USDT, Binance, this morning", "yes"),
        ("es", "Claro: es el retiro a Binance.", "yes"),
        ("fr", "Oui : c'est le retrait vers Binance.", "yes"),
        ("ru", "Да, это вывод на Binance.", "yes"),
        ("zh", "是的，提到币安的那笔。", "yes"),
    ],
)
def test_a_customer_pointing_back_in_any_words_means_it_was_asked_again(
    language: str, reply: str, expected: str
) -> None:
    turns = [("customer", OPENING[language], 0), ("agent", MORE[language], 2),
             ("customer", reply, 3), ("agent", RELEASED[language], 4)]  # fmt: skip
    assert verdict(turns, "comprehension", language=language) == expected


RESTART = {
    "en": "Please restart the app.",
    "es": "Reinicia la app, por favor.",
    "fr": "Redémarrez l'application.",
    "ru": "Перезапустите приложение.",
    "zh": "请重启一下应用。",
}


@pytest.mark.parametrize(
    ("language", "said", "expected"),
    [
        # the agent says itself that it missed or misread what the customer wrote
        ("en", "Sorry, I missed that - the withdrawal is released now.", "no"),
        ("en", "Apologies, I misread your message. The withdrawal is released.", "no"),
        ("en", "Ah, I read it too quickly. It's released now.", "no"),
        ("es", "Perdona, no lo había visto. Ya está liberado.", "no"),
        ("es", "Perdón, se me pasó. Ya está liberado.", "no"),
        ("fr", "Pardon, j'ai lu trop vite. C'est débloqué.", "no"),
        ("ru", "Извините, невнимательно прочитал. Вывод разблокирован.", "no"),
        ("zh", "抱歉，我看漏了。已经放行了。", "no"),
        # a hedge before a clarifying question, or not seeing a payment, admits nothing
        ("en", "Sorry if I misunderstood, do you mean the Binance one?", "yes"),
        ("en", "We didn't see it arrive yet, give it ten minutes.", "yes"),
        ("en", "Sorry we missed your message yesterday, the withdrawal is released.", "yes"),
        ("es", "No lo vi en el historial, espera diez minutos.", "yes"),
        ("fr", "Je n'avais pas vu le virement arriver, attendez dix minutes.", "yes"),
        ("ru", "Я не заметил поступлений, подождите десять минут.", "yes"),
        ("zh", "我没看到您的转账记录，请再等十分钟。", "yes"),
        ("zh", "您可能看错了，请再等十分钟。", "yes"),
    ],
)
def test_an_agent_admitting_it_misread_fails_comprehension(
    language: str, said: str, expected: str
) -> None:
    turns = [("customer", OPENING[language], 0), ("agent", RESTART[language], 2),
             ("customer", "ok", 3), ("agent", said, 4)]  # fmt: skip
    assert verdict(turns, "comprehension", language=language) == expected


@pytest.mark.parametrize(
    ("language", "opening", "reply", "expected"),
    [
        # slang and sarcasm add nothing to an opener that names no problem
        ("en", "yo wallet's dead again", "Update to the latest version.", "no"),
        ("en", "great job guys, app's broken again", "Update to the latest version.", "no"),
        ("ru", "чё опять происходит", "Обновите приложение.", "no"),
        ("fr", "bravo, super boulot, ça bug encore", "Mettez à jour l'application.", "no"),
        ("zh", "又崩了，干得漂亮", "请更新到最新版本。", "no"),
        ("zh", "你们这App又崩了", "请更新到最新版本。", "no"),
        ("en", "hey guys app is acting up again", "Update to the latest version.", "no"),
        ("fr", "bravo, encore en panne", "Mettez à jour l'application.", "no"),
        ("es", "oye, no jala la app", "Actualiza a la última versión.", "no"),
        # a named symptom is a request, and a question about a vague one is the right reply
        (
            "en",
            "yo the app crashes when I open the card tab",
            "Update to the latest version.",
            "yes",
        ),
        ("en", "yo wallet's dead again", "What do you see when you open it?", "yes"),
    ],
)
def test_an_opener_of_slang_or_sarcasm_is_unclear(
    language: str, opening: str, reply: str, expected: str
) -> None:
    turns = [("customer", opening, 0), ("agent", reply, 2)]
    assert verdict(turns, "comprehension", language=language) == expected


@pytest.mark.parametrize(
    ("language", "opening", "ask", "expected"),
    [
        # an order, case or ticket number given in the opener and asked for again
        ("en", "The refund for order 48213 never arrived.", "What is the order number?", "no"),
        (
            "es",
            "No me llegó el reembolso del pedido 48213.",
            "¿Me indicas el número de pedido?",
            "no",
        ),
        (
            "fr",
            "Le remboursement de la commande n° 48213 n'est jamais arrivé.",
            "Pouvez-vous me donner le numéro de commande ?",
            "no",
        ),
        (
            "ru",
            "Возврат по заказу № 48213 так и не пришёл.",
            "Уточните номер заказа, пожалуйста.",
            "no",
        ),
        ("zh", "订单号48213的退款一直没到。", "请问您的订单号是多少？", "no"),
        # asked when the customer had not given it: the right question
        ("en", "My refund never arrived.", "What is the order number?", "yes"),
        ("ru", "Возврат так и не пришёл.", "Уточните номер заказа, пожалуйста.", "yes"),
        ("zh", "我的退款一直没到。", "请问您的订单号是多少？", "yes"),
    ],
)
def test_a_reference_number_given_then_asked_for_again(
    language: str, opening: str, ask: str, expected: str
) -> None:
    turns = [("customer", opening, 0), ("agent", ask, 2)]
    assert verdict(turns, "comprehension", language=language) == expected


@pytest.mark.parametrize(
    ("language", "said", "expected"),
    [
        # understanding in the informal 你, "it really is a hassle", "no apology needed"
        ("zh", "明白你的意思，先把App更新一下。", "yes"),
        ("zh", "换设备确实有点折腾，先把App更新一下。", "yes"),
        ("zh", "知道你很着急，先把App更新一下。", "yes"),
        ("en", "No apology needed, this trips up a lot of people. Restart the app.", "yes"),
        ("en", "Nothing to apologise for! Restart the app.", "yes"),
        ("ru", "Хорошо, что сначала уточнили у нас. Перезапустите приложение.", "yes"),
        # "tranquilo" reassures, unless it is a rebuke of the customer's manner
        ("es", "Tranquilo, que lo miramos ahora mismo. Reinicia la app.", "yes"),
        ("es", "Puedes estar tranquila, tus fondos están a salvo. Reinicia la app.", "yes"),
        ("es", "Tranquilo, sin gritar por favor. Reinicia la app.", "no"),
        # a bare step, or "确实" stating a rule, acknowledges nothing
        ("zh", "这个确实是链上的规则，先把App更新一下。", "no"),
        ("en", "Restart the app.", "no"),
    ],
)
def test_acknowledgement_classes(language: str, said: str, expected: str) -> None:
    assert reply_verdict(said, language, "empathy") == expected


@pytest.mark.parametrize(
    ("language", "said", "expected"),
    [
        # back-office tools, team names with a tier or "Ops", an internal ticket key
        ("en", "I've logged it in OPS-4471 and pinged the team; restart the app.", "no"),
        ("en", "It sits with T2-Payments in Zendesk; restart the app.", "no"),
        ("en", "The Risk-L2 desk will check it tomorrow.", "no"),
        ("en", "Our DataOps folks re-ran the export in Metabase.", "no"),
        ("es", "Lo he apuntado en SEC-1203 y lo ve DevOps mañana.", "no"),
        ("ru", "Передал в CardOps, тикет CRD-5512 в Jira.", "no"),
        # an unfilled placeholder in any script
        ("zh", "{用户名}您好，请重启应用。", "no"),
        ("fr", "Bonjour [NOM CLIENT], redémarrez l'application.", "no"),
        ("ru", "Здравствуйте, [ИМЯ КЛИЕНТА]! Перезапустите приложение.", "no"),
        # a reference given to the customer, a token standard, a bracketed header are plain
        ("en", "Your dispute reference is DSP-20931; restart the app.", "yes"),
        ("en", "Send USDT on ERC-20 only; restart the app.", "yes"),
        ("en", "[IMPORTANT] Restart the app.", "yes"),
    ],
)
def test_tools_team_codes_ticket_keys_and_placeholders_are_jargon(
    language: str, said: str, expected: str
) -> None:
    assert reply_verdict(said, language, "readability") == expected
