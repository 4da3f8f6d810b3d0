"""Solution, tone and security: the classes of wording the fourth blind split (blind4) showed the
judges getting wrong, fixed after its one run, and the Russian (and other) requests `probe6`
showed the security judge missing.

Security: warnings whose negation stands far from its verb or has none ("nobody on our team is
ever going to ask you for ...", "never your 24 words, we don't need them", "no genuine app needs
it", "我们永远不会要"), a question whether a code arrived or whether the customer already gave the
secret to someone else, a password the company sends for a document, receipts (收款凭证),
remembering one's own new password, and "during the call" (a time, not a receiver) are no
requests; a request after "but" in a warning sentence, the sequence on a backup card, and a
photo of the export screen that shows "a line of letters and numbers" are.
Tone: basic-knowledge jibes, "works for everyone else", the terms the customer accepted,
counterfactual blame, "this is what happens when you", "that was your choice", "nobody forces
you", not reading, sarcasm, "no caps please", "chasing won't speed it up".
Solution: stalls and hand-offs in more words, flat refusals, pointing elsewhere, and words that
look like a step but are none ("sorry for the wait", "I'll update you once I hear").

Every sentence is written for this file (none is copied from the labelled set); beside each class,
a sentence just outside it keeps its verdict.
"""

from __future__ import annotations

import pytest

from tests.quality.test_judges import reply_verdict


@pytest.mark.parametrize(
    ("language", "said", "expected"),
    [
        # warnings: a negation far from its verb, or none at all
        ("es", "Nadie de nuestro equipo de soporte te va a pedir jamás tu frase semilla.", "yes"),
        ("fr", "Jamais votre phrase de récupération : on n'en a aucunement besoin ici.", "yes"),
        ("en", "No legit airdrop will ever need your seed phrase.", "yes"),
        ("zh", "私钥请自己保管好，我们绝不会找您要。", "yes"),
        ("ru", "Ни одно настоящее приложение не попросит вашу сид-фразу.", "yes"),
        # whether a code arrived, whether it was given to someone else
        ("en", "Did you get a verification code by SMS after that call?", "yes"),
        ("es", "¿Te llegó algún código de verificación por SMS?", "yes"),
        ("ru", "Вам пришёл код подтверждения по СМС?", "yes"),
        ("zh", "您有没有在那个网站上输入过私钥？", "yes"),
        ("en", "Have you typed your recovery phrase into that website?", "yes"),
        # a document's password, receipts, one's own new password
        (
            "en",
            "The report is a password-protected PDF; its password is sent separately by SMS.",
            "yes",
        ),
        ("zh", "请上传银行转账凭证和付款凭证。", "yes"),
        ("zh", "以后请把新密码记牢。", "yes"),
        ("fr", "Retenez bien votre nouveau mot de passe.", "yes"),
        # ... while the requests next to them stay requests
        ("en", "Did you get a verification code? Send it to me here.", "no"),
        ("zh", "请把您的私钥发给我。", "no"),
        # a request after "but" in a warning sentence (probe6)
        (
            "en",
            "We would never ask this normally, but this time type your seed phrase below.",
            "no",
        ),
        ("ru", "Обычно мы такого не просим, но сейчас напишите вашу сид-фразу сюда.", "no"),
        ("es", "Normalmente no lo pedimos, pero esta vez escribe tu frase semilla aquí.", "no"),
        # the backup card's sequence, an export screen's line of letters and numbers (probe6)
        ("ru", "Пришлите нам последовательность с карточки восстановления.", "no"),
        ("en", "Reply with the combination on the backup card, in order.", "no"),
        (
            "ru",
            "Откройте Экспорт: там строка из букв и цифр. Пришлите фото этого экрана.",
            "no",
        ),
        (
            "en",
            "Open Export: it shows a string of letters and numbers. Send me a photo of that screen.",
            "no",
        ),
        (
            "fr",
            "Ouvrez Exporter : une chaîne de lettres et de chiffres s'affiche. Envoyez une photo de cet écran.",
            "no",
        ),
        # a hash or an id described the same way is no secret
        (
            "en",
            "Please paste the transaction hash (a long string of letters and numbers) here.",
            "yes",
        ),
    ],
)
def test_security_classes_after_blind4(language: str, said: str, expected: str) -> None:
    assert reply_verdict(said, language, "security") == expected


@pytest.mark.parametrize(
    ("language", "said", "expected"),
    [
        ("en", "Signing a transaction you didn't read is rookie stuff, honestly.", "no"),
        ("en", "It works fine for everybody else, so probably something with your device.", "no"),
        ("en", "Those fees are in the terms you agreed to when you opened the account.", "no"),
        ("en", "Had you read the warning, none of this would have happened.", "no"),
        ("en", "That's what happens if you buy on hype.", "no"),
        ("en", "It was your decision to skip the check.", "no"),
        ("en", "Nobody is forcing you to use the swap.", "no"),
        ("en", "More messages won't speed the review up.", "no"),
        ("es", "Eso es un error de novato, la verdad.", "no"),
        ("es", "Las comisiones están en las condiciones que firmaste.", "no"),
        ("es", "Esto te pasa por no leer el aviso.", "no"),
        ("es", "Nadie te obliga a usar el puente.", "no"),
        ("es", "Sin mayúsculas, por favor.", "no"),
        ("fr", "Vous auriez pu le dire tout de suite, ça nous aurait évité trois messages.", "no"),
        ("fr", "C'était votre choix de valider.", "no"),
        ("fr", "Comme précisé clairement dans notre e-mail, le délai est de 5 jours.", "no"),
        ("fr", "Inutile d'insister, le tarif ne bougera pas.", "no"),
        ("ru", "Это ошибка новичка, бывает.", "no"),
        ("ru", "Повторные сообщения рассмотрение не ускоряют.", "no"),
        ("ru", "Никто вас не заставляет пользоваться мостом.", "no"),
        ("zh", "催也没用，按顺序处理。", "no"),
        ("zh", "其他用户都正常，是您手机的问题。", "no"),
        # just outside the classes: kind words keep "yes"
        ("en", "It's your choice, and both options are fine.", "yes"),
        ("fr", "C'est votre choix, les deux options sont valables.", "yes"),
        ("es", "Es tu decisión: las dos opciones funcionan.", "yes"),
        ("ru", "Вопрос закрыт: награды придут в субботу.", "yes"),
        ("en", "It works for everyone on version 5.2, so updating the app should fix it.", "no"),
    ],
)
def test_tone_classes_after_blind4(language: str, said: str, expected: str) -> None:
    assert reply_verdict(said, language, "tone") == expected


@pytest.mark.parametrize(
    ("language", "said", "expected"),
    [
        # stalls and hand-offs
        ("en", "The payments team is on it. I'll update you once I hear back.", "no"),
        ("en", "Your case is under review.", "no"),
        ("es", "De momento sin novedades, sigo en ello.", "no"),
        ("es", "Lo están revisando los compañeros, sigue en manos de ellos.", "no"),
        ("fr", "C'est remonté. Toujours pas de retour pour l'instant.", "no"),
        ("ru", "Ваше обращение зафиксировано. Ожидайте.", "no"),
        ("zh", "来信已收悉，相关部门正在核实。", "no"),
        # refusals and pointing elsewhere
        ("en", "The limit is not negotiable.", "no"),
        ("en", "We are unable to disclose the reason for the block.", "no"),
        ("es", "No vamos a devolver la comisión.", "no"),
        ("fr", "Nous ne sommes pas en mesure de revenir sur cette décision.", "no"),
        ("ru", "Такие переводы мы не делаем.", "no"),
        ("en", "The app works fine for everyone else.", "no"),
        ("zh", "您自己去帮助文档里看一下。", "no"),
        # a real step keeps "yes", whatever else the reply says
        ("en", "Sorry for the wait! Update the app to 5.2 and the balance will show.", "yes"),
        ("es", "Perdona la espera: actualiza la app y vuelve a intentarlo.", "yes"),
        ("fr", "Désolé pour l'attente : mettez l'application à jour puis réessayez.", "yes"),
        ("ru", "Извините за ожидание. Обновите приложение, и баланс появится.", "yes"),
    ],
)
def test_solution_classes_after_blind4(language: str, said: str, expected: str) -> None:
    assert reply_verdict(said, language, "solution") == expected


def test_sorry_for_the_wait_alone_is_no_step() -> None:
    # "wait" was read as the imperative "wait": a hand-off plus an apology offered nothing
    said = "Sorry about the wait. We have passed your ticket to the team, who are reviewing it."
    assert reply_verdict(said, "en", "solution") == "no"
