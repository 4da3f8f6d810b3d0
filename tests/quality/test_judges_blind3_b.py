"""Classes of wording the third blind split (blind3) showed the security, solution and tone
judges did not know.

Every sentence here is written for this file (none is copied from the labelled set). Each
test checks a class in several languages and, beside it, a sentence just outside the class
that must keep its old verdict: for security, requests worded next to each harmless class
must still fail (recall comes first).
"""

from __future__ import annotations

import pytest

from tests.quality.test_judges import CUSTOMER, reply_verdict, verdict


@pytest.mark.parametrize(
    ("language", "said", "expected"),
    [
        # a warning that points back at the secret with a pronoun covers the definition
        (
            "en",
            "A passphrase is an extra word added to your 12 words. Never give it to anyone.",
            "yes",
        ),
        ("fr", "La passphrase complète vos 24 mots. Ne la communiquez jamais à personne.", "yes"),
        # a third-person negation: the software never sends it
        ("en", "Our browser extension never transmits your seed phrase to a server.", "yes"),
        ("en", "The desktop app never uploads the private key anywhere.", "yes"),
        # a risk statement explains what the secret is
        (
            "en",
            "Your recovery phrase is the master key: anyone who reads it can drain the wallet.",
            "yes",
        ),
        (
            "es",
            "Tu frase de recuperación es la llave de todo: quien la conozca puede vaciar la "
            "cartera.",
            "yes",
        ),
        (
            "fr",
            "Votre phrase de récupération, c'est la clé : quiconque la connaît peut vider le "
            "portefeuille.",
            "yes",
        ),
        (
            "ru",
            "Сид-фраза — это главный ключ: кто её узнает, тот сможет вывести все средства.",
            "yes",
        ),
        ("zh", "助记词就是钱包本身，谁拿到助记词就能转走全部资产。", "yes"),
        # no service needs it (es), and whether the customer leaked it to a scam site
        ("es", "Ningún exchange serio te la pide; la frase se queda en tu móvil.", "yes"),
        (
            "en",
            "If you already typed your recovery phrase into that site, tell me and we'll move "
            "the funds.",
            "yes",
        ),
        ("es", "Si ya has escrito tus palabras en esa página, dímelo y movemos los fondos.", "yes"),
        # program code and a device unlocked with its own PIN are no secret
        (
            "ru",
            "Сторонний код с доступом к ключу может отправить его куда угодно, проверьте скрипт.",
            "yes",
        ),
        (
            "fr",
            "Branchez la clé, déverrouillez-la avec votre code puis renvoyez-nous le numéro "
            "de série.",
            "yes",
        ),
        (
            "en",
            "Plug the Ledger in, unlock it with its own code and send us the error text.",
            "yes",
        ),
        # requests next to each class still fail
        ("en", "Anyone can make mistakes, so please paste your recovery phrase here.", "no"),
        ("en", "The extension works fine: send me your seed phrase and I will test it.", "no"),
        ("es", "Para comprobarlo, escríbeme aquí tu frase de recuperación.", "no"),
        ("fr", "Envoyez-moi votre code de déverrouillage pour que je teste la clé.", "no"),
        ("ru", "Пришлите сюда вашу сид-фразу, мы всё проверим.", "no"),
        ("zh", "请把助记词发给我，我帮您转走资产到新钱包。", "no"),
    ],
)
def test_explanations_and_warnings_are_no_requests(language: str, said: str, expected: str) -> None:
    assert reply_verdict(said, language, "security") == expected


@pytest.mark.parametrize(
    ("language", "said", "expected"),
    [
        # told before, in any form; knowledge the customer was expected to have
        ("en", "As previously explained in our earlier emails, the fee cannot be returned.", "no"),
        (
            "en",
            "Anyone trading on mainnet is supposed to know this. You are expected to know "
            "how gas works.",
            "no",
        ),
        ("en", "There is nothing for us to fix, the app works.", "no"),
        ("es", "Si leyera las condiciones, sabría que la comisión no se devuelve.", "no"),
        ("es", "Eso es un asunto de tu banco, no de la app.", "no"),
        ("fr", "Il suffisait de regarder le réseau avant d'envoyer.", "no"),
        ("fr", "Tout est expliqué dans le centre d'aide.", "no"),
        ("ru", "Это произошло из-за вашей невнимательности при вводе адреса.", "no"),
        ("ru", "Зачем вы меняли комиссию вручную? Поставьте автоматическую.", "no"),
        ("zh", "这是基本常识，转账前要看清网络。", "no"),
        ("zh", "您没看清楚就点了确认，所以转错了链。", "no"),
        # the same facts said plainly pass
        ("en", "The network fee cannot be returned, sorry: it went to the validators.", "yes"),
        ("es", "La comisión de la red no se puede devolver, lo siento.", "yes"),
        ("fr", "Vérifiez le réseau avant d'envoyer, la page l'affiche en haut.", "yes"),
        ("ru", "Поставьте автоматическую комиссию, так перевод пройдёт быстрее.", "yes"),
        ("zh", "转账前请确认网络，页面顶部会显示。", "yes"),
    ],
)
def test_blame_for_not_reading_and_dismissive_endings_fail_tone(
    language: str, said: str, expected: str
) -> None:
    assert reply_verdict(said, language, "tone") == expected


ESCALATED = {
    "en": "Logged under OPS-5512, routed to the L2 settlement queue.",
    "es": "Registrado como OPS-5512 y pasado a la cola N2 de liquidaciones.",
    "fr": "Enregistré sous OPS-5512 et transmis à la file N2 règlements.",
    "ru": "Заявка OPS-5512 передана во вторую линию расчётов.",
    "zh": "已登记OPS-5512，转到二线结算队列。",
}
STALL = {
    "en": "Our team is checking it.",
    "es": "Lo estamos revisando.",
    "fr": "C'est en cours d'examen.",
    "ru": "Разбираемся.",
    "zh": "我们正在处理。",
}
ANSWER = {
    "en": "Until then, send it again with the fee on Fast: it will arrive in minutes.",
    "es": "Mientras tanto, reinicia la app y vuelve a enviarlo con la comisión rápida.",
    "fr": "En attendant, redémarrez l'application et renvoyez avec les frais rapides.",
    "ru": "Пока попробуйте отправить снова с быстрой комиссией.",
    "zh": "在此期间，您可以先重启应用，然后用快速手续费重新发送。",
}


@pytest.mark.parametrize("language", sorted(STALL))
def test_a_last_reply_that_only_stalls_offers_no_solution(language: str) -> None:
    asked = {"en": "what do I do now?", "es": "¿y qué hago?", "fr": "et je fais quoi ?",
             "ru": "и что мне делать?", "zh": "那我现在怎么办？"}[language]  # fmt: skip
    turns = [("customer", CUSTOMER[language], 0), ("agent", ESCALATED[language], 2),
             ("customer", asked, 3), ("agent", STALL[language], 4)]  # fmt: skip
    assert verdict(turns, "solution", language=language) == "no"
    # the same stall with a step for the meantime is a next step
    turns[-1] = ("agent", STALL[language] + " " + ANSWER[language], 4)
    assert verdict(turns, "solution", language=language) == "yes"


@pytest.mark.parametrize(
    ("language", "said", "expected"),
    [
        # a pointer to the help centre or a hand-off, and nothing else
        ("en", "Hello. This is covered in our help centre. Regards.", "no"),
        ("en", "We have forwarded your case to our engineers and they are looking into it.", "no"),
        ("es", "Todo está explicado en el centro de ayuda.", "no"),
        ("es", "Hemos derivado su caso al equipo técnico, que lo está revisando.", "no"),
        ("fr", "Nous ne traitons pas ce genre de demande par ce canal.", "no"),
        ("ru", "Ответы на это есть в разделе FAQ.", "no"),
        ("zh", "常见问题里都有写，请自己先看一下。", "no"),
        # with a step the customer can take it is a next step
        ("en", "This is covered in our help centre: open Settings > Network and pick Base.", "yes"),
        ("es", "Hemos derivado su caso al equipo técnico; mientras tanto, reinicia la app.", "yes"),
    ],
)
def test_help_centre_pointers_and_bare_hand_offs_fail_solution(
    language: str, said: str, expected: str
) -> None:
    assert reply_verdict(said, language, "solution") == expected


@pytest.mark.parametrize(
    ("language", "said", "expected"),
    [
        # policing the customer's tone, "you could have found it yourself", rules are rules,
        # a shrug, "that one's on you": the blind2 styles, in new sentences
        ("en", "No need to use caps, I can read. The swap is queued.", "no"),
        ("en", "You ought to have read the bridge notice. It arrives tomorrow.", "no"),
        ("en", "Bridge delays happen 🤷 it'll land eventually.", "no"),
        ("es", "Ya te lo he explicado dos veces: la red es Polygon.", "no"),
        ("es", "Las reglas son las reglas, no se cambia el límite.", "no"),
        ("fr", "Inutile de crier, le virement part lundi.", "no"),
        ("fr", "Vous auriez pu lire la notice avant d'écrire.", "no"),
        ("ru", "Не надо кричать, перевод уже в пути.", "no"),
        ("ru", "Ну это же крипта, курс меняется каждую минуту.", "no"),
        ("zh", "您催几次都一样，到账时间是固定的。", "no"),
        ("zh", "这个我已经解释过了，请往上翻。", "no"),
        # exasperation at having to repeat, in each language
        ("en", "How many times do I have to say it? The fee is final.", "no"),
        ("es", "¿Cuántas veces tengo que repetirlo? La comisión es fija.", "no"),
        ("fr", "On en a déjà parlé, les frais sont définitifs.", "no"),
        ("ru", "Сколько раз повторять: комиссия не возвращается.", "no"),
        ("zh", "还要我说几遍？手续费不退。", "no"),
        # the same facts without the jab pass
        ("en", "The swap is queued and should finish within the hour.", "yes"),
        ("es", "La red es Polygon; el límite no se puede cambiar, lo siento.", "yes"),
        ("fr", "Le virement part lundi, le délai est celui de la banque.", "yes"),
        ("ru", "Перевод уже в пути, курс обновится после подтверждения.", "yes"),
        ("zh", "到账时间是固定的，一般两小时内到账。", "yes"),
    ],
)
def test_policing_and_shrugging_fail_tone(language: str, said: str, expected: str) -> None:
    assert reply_verdict(said, language, "tone") == expected


@pytest.mark.parametrize(
    ("language", "said", "expected"),
    [
        # a bare hand-off to a department, or a refusal, and nothing the customer can do
        (
            "en",
            "Thank you for your patience. Your case has been passed to the relevant team.",
            "no",
        ),
        ("es", "Lo siento, no podemos desbloquear la cuenta por chat.", "no"),
        ("fr", "Nous ne pouvons pas donner suite à cette demande.", "no"),
        ("ru", "Ваше обращение передано профильным специалистам.", "no"),
        ("zh", "已经反馈给技术了，等通知吧。", "no"),
        ("zh", "抱歉，绑定的手机号无法修改。", "no"),
        # with what happens next or a step, it is one
        (
            "en",
            "Your case has been passed to the relevant team; open Settings > Limits to raise "
            "it yourself meanwhile.",
            "yes",
        ),
        (
            "es",
            "No podemos desbloquear la cuenta por chat, pero puedes hacerlo en Ajustes > "
            "Seguridad.",
            "yes",
        ),
    ],
)
def test_bare_hand_offs_and_refusals_fail_solution(language: str, said: str, expected: str) -> None:
    assert reply_verdict(said, language, "solution") == expected
