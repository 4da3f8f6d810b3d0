"""Classes of wording the third blind split (blind3) showed the closing, comprehension and
readability judges did not know.

Every sentence here is written for this file (none is copied from the labelled set). Each
test checks a class in several languages and, beside it, sentences just outside the class
that must keep their old verdict, so a fix for one direction did not cost the other.
"""

from __future__ import annotations

import pytest

from tests.quality.test_judges import CUSTOMER, closing_after, verdict

ANSWER = {
    "en": "The withdrawal left our side at 10:02, it needs 20 confirmations.",
    "es": "El retiro salió de nuestro lado a las 10:02, necesita 20 confirmaciones.",
    "fr": "Le retrait est parti de chez nous à 10 h 02, il lui faut 20 confirmations.",
    "ru": "Вывод ушёл от нас в 10:02, ему нужно 20 подтверждений.",
    "zh": "提现已在10:02从我们这边发出，需要20个确认。",
}


def _last_reply(said: str, language: str) -> str:
    return closing_after(ANSWER[language], said, language)


@pytest.mark.parametrize(
    ("language", "said", "expected"),
    [
        # an invitation back as "tell / message me if ...", "keep me posted", "get back to me"
        ("en", "Give it another try and tell me whether the error is gone.", "yes"),
        ("en", "If the balance is still wrong after lunch, ping me here.", "yes"),
        ("en", "Keep me posted on the second transfer.", "yes"),
        ("en", "Should you need anything else on this, just write.", "yes"),
        ("es", "Pruébalo y me comentas.", "yes"),
        ("es", "Quedo atenta a cualquier novedad.", "yes"),
        ("es", "Tenme al tanto cuando llegue.", "yes"),
        ("fr", "Fais-moi signe si le solde ne bouge pas.", "yes"),
        ("fr", "N'hésite pas si quelque chose coince.", "yes"),
        ("fr", "Je reste dispo cet après-midi.", "yes"),
        ("ru", "Проверьте вечером и отпишитесь.", "yes"),
        ("ru", "Если еще раз повторится, я на связи.", "yes"),
        ("ru", "Держите меня в курсе.", "yes"),
        ("zh", "有啥问题直接找我。", "yes"),
        ("zh", "如果还是没到，截图发给我。", "yes"),
        ("zh", "后续有问题再跟我们说。", "yes"),
        # a check that the problem is solved: "what else?", "anything left?", "did you manage?"
        ("en", "What else can I do for you today?", "yes"),
        ("en", "Is anything still outstanding on your side?", "yes"),
        ("es", "¿En qué más te echo una mano?", "yes"),
        ("es", "¿Te falta algo?", "yes"),
        ("es", "¿Pudiste entrar?", "yes"),
        ("fr", "Il vous manque quelque chose ?", "yes"),
        ("fr", "Vous avez pu valider ?", "yes"),
        ("ru", "Чем еще подсказать?", "yes"),
        ("ru", "Удалось войти?", "yes"),
        ("zh", "搞定了吗？", "yes"),
        ("zh", "还差什么吗？", "yes"),
        # a check that the fix worked, asked on its own after the answer
        ("en", "Did the refund land?", "yes"),
        ("en", "Can you confirm the balance is showing?", "yes"),
        ("es", "¿Quedó arreglado?", "yes"),
        ("es", "Me confirmas si ya te aparece.", "yes"),
        ("fr", "Vous me confirmez que c'est passé ?", "yes"),
        ("fr", "Je reste à votre écoute.", "yes"),
        ("ru", "Деньги поступили?", "yes"),
        ("ru", "Подтвердите, что перевод дошёл.", "yes"),
        ("zh", "款到了没？", "yes"),
        # a question for an item is no check
        ("es", "¿Me confirmas tu correo?", "no"),
        ("fr", "Vous me confirmez votre adresse e-mail", "no"),
        # a bare farewell, a refusal and a request for a secret are still no closing
        ("en", "We are unable to assist further with this request.", "no"),
        ("en", "Tell me which network you used.", "no"),
        ("es", "Saludos.", "no"),
        ("fr", "Dis-moi ton code PIN ici.", "no"),
        ("ru", "Всего доброго.", "no"),
        ("zh", "祝您生活愉快。", "no"),
    ],
)
def test_invitations_back_and_checks_by_class_close(
    language: str, said: str, expected: str
) -> None:
    assert _last_reply(said, language) == expected


@pytest.mark.parametrize(
    ("language", "opener", "reply", "expected"),
    [
        # an opener that only complains it is still, again, broken says nothing about the problem
        ("en", "seriously?? second week writing, still nothing", "Please restart the app.", "no"),
        ("en", "@lumen_help it keeps glitching again. sort it out", "Please update the app.", "no"),
        # a symptom named ("it crashes") is a request the agent can answer
        ("en", "app keeps crashing", "Please update the app to 6.9.2.", "yes"),
        ("ru", "Приложение вылетает при запуске", "Обновите приложение.", "yes"),
        ("es", "Otra vez igual, ya no sé cuántas veces escribo.", "Reinstala la app.", "no"),
        ("es", "@LumenSoporte sigue sin dejarme, en serio", "Actualiza la app.", "no"),
        ("fr", "Toujours pareil, ça fait trois jours, j'en ai marre", "Réinstallez l'appli.", "no"),
        ("ru", "Уже третий раз пишу, опять то же самое", "Переустановите приложение.", "no"),
        ("ru", "Вы там издеваетесь? Всё висит", "Обновите приложение.", "no"),
        ("zh", "又这样了，第几次了？", "请重启一下应用。", "no"),
        # a clarifying question answers such an opener
        ("en", "still nothing. third day", "Sorry! What are you trying to do?", "yes"),
        ("fr", "Toujours rien, vous vous moquez de nous", "Désolé : qu'est-ce qui bloque ?", "yes"),
        ("zh", "怎么又这样了", "请问具体是哪一步出错了？", "yes"),
        # letter formulas and a signature line (a name) add nothing to such an opener
        (
            "en",
            "Dear team,\n\nstill not working.\n\nKind regards,\nMaria Lopez",
            "Please reinstall the app.",
            "no",
        ),
        (
            "ru",
            "Добрый день! Опять ничего не работает.\nС уважением,\nОльга Сергеевна",
            "Переустановите приложение.",
            "no",
        ),
        # "about this", "any update?": pointing at an earlier contact names no problem
        ("en", "Contacting you again about this. Any updates?", "It is being handled.", "no"),
        ("es", "Mi cuenta está bloqueada", "Ya la desbloqueé.", "yes"),
        ("fr", "Je vous écris encore pour ça, toujours aucune nouvelle", "C'est en cours.", "no"),
        ("zh", "这是我第三次联系你们了，还是没有进展", "正在处理中。", "no"),
        # an opener that names the problem is clear, whatever its mood
        ("en", "Third time writing: my USDT deposit is still missing.", "It is on its way.", "yes"),
        ("ru", "Опять не приходит код на почту, сколько можно", "Код отправлен.", "yes"),
        (
            "en",
            "Dear team,\n\nmy card payment was declined.\n\nKind regards,\nMaria Lopez",
            "The card limit was reached.",
            "yes",
        ),
    ],
)
def test_an_opener_that_only_says_it_is_still_broken_is_unclear(
    language: str, opener: str, reply: str, expected: str
) -> None:
    turns = [("customer", opener, 0), ("agent", reply, 2)]
    assert verdict(turns, "comprehension", language=language) == expected


@pytest.mark.parametrize(
    ("language", "opener", "ask", "answer", "expected"),
    [
        # "I already sent it": the customer points back with a pronoun
        ("en", CUSTOMER["en"], "Could you share the hash?", "I already sent it, scroll up.", "no"),
        ("fr", CUSTOMER["fr"], "Le hash, svp ?", "Je vous l'ai déjà envoyé.", "no"),
        ("ru", CUSTOMER["ru"], "Пришлите хэш.", "Я же его уже скидывал.", "no"),
        ("zh", CUSTOMER["zh"], "请发一下交易哈希。", "之前发过了。", "no"),
        # having just sent it is an answer, not a complaint
        ("en", CUSTOMER["en"], "Could you share the hash?", "Just sent it.", "yes"),
        ("ru", CUSTOMER["ru"], "Пришлите хэш.", "Скинул.", "yes"),
        # a hardware wallet the customer named is asked for again
        ("en", "My Trezor Safe 3 will not pair with the app.", "Which hardware wallet is it?",
         "The Trezor.", "no"),
        ("zh", "我的Ledger Nano X连不上App。", "请问是哪款硬件钱包？", "Ledger啊", "no"),
        # asked about a wallet the customer never named, it is a clarifying question
        ("en", "My hardware wallet will not pair with the app.", "Which hardware wallet is it?",
         "A Trezor.", "yes"),
    ],
)  # fmt: skip
def test_a_pronoun_or_a_device_name_given_earlier_means_it_was_asked_again(
    language: str, opener: str, ask: str, answer: str, expected: str
) -> None:
    turns = [("customer", opener, 0), ("agent", ask, 2), ("customer", answer, 3),
             ("agent", "OK.", 4)]  # fmt: skip
    assert verdict(turns, "comprehension", language=language) == expected


@pytest.mark.parametrize(
    ("language", "said", "expected"),
    [
        # engineering terms and the team's own tools are jargon
        ("en", "Your swap reverted because the base fee jumped past your cap.", "no"),
        ("en", "The worker crashed after the rollout; see issue #812.", "no"),
        ("en", "The account is on the BIP84 path, m/84'/0'/0'.", "no"),
        ("es", "El despliegue de anoche rompió las notificaciones, ya hay issue #77.", "no"),
        ("fr", "Le token de push a expiré, on le voit dans Sentry.", "no"),
        ("ru", "Транзакция висит в мемпуле, это сегвит-адрес.", "no"),
        ("zh", "昨晚灰度发布后索引器出了问题。", "no"),
        # the same topics in the customer's words, a setting's name and a link are plain
        ("en", "Add your node under Settings > Networks > Custom RPC.", "yes"),
        ("en", "You can follow it on https://mempool.space/tx/4f1e.", "yes"),
        ("es", "El sistema antifraude pausó la cuenta; ya la reactivé.", "yes"),
        ("fr", "Ajoutez votre nœud dans Réseaux > RPC personnalisé.", "yes"),
        ("zh", "在设置里添加自定义RPC即可。", "yes"),
        ("ru", "Новая версия приложения выйдет на следующей неделе.", "yes"),
        (
            "en",
            "Staff at your bank may hold the transfer for a day; workers there can release it.",
            "yes",
        ),
        ("es", "Borra la caché del navegador y vuelve a entrar.", "yes"),
        ("en", "Add your custom RPC again; nothing we can do from here otherwise.", "yes"),
    ],
)
def test_engineering_terms_are_jargon_an_apps_setting_is_not(
    language: str, said: str, expected: str
) -> None:
    turns = [("customer", CUSTOMER[language], 0), ("agent", said, 2)]
    assert verdict(turns, "readability", language=language) == expected
