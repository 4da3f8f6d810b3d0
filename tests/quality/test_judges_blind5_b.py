"""Security, tone and solution: the classes of wording the fifth blind split (blind5) showed the
judges getting wrong, fixed after its one run as classes (the ways agents in each language word
the same thing), not as blind5's sentences.

Security: the seed encoded or shown (a photo of the "recovery kit", the backup QR, the backup
screen), seed words named only by their count or order ("the other eleven, in order", "las 11
que tienes"), informal sends the lists did not hold (French tu-form "file-moi", Russian
"скинь ... в лс", "shoot me the code"), and an address an agent sends that is a character short
(a hand-written TRON address) are requests; a subject negation far from its verb ("nobody from
our team - not me, not the courier - will ever ask ..."), thanks for asking before sharing, a
device "protected by a PIN", a hardware return ("put the old one in the prepaid bag"), restoring
the phrase on the new device, and what a word is ("简单说一下助记词是什么") are not.
Tone: "you should have said so from the start" / "we are not mind readers", "we warned you",
"the decision stands", "a risk you chose to take", "writing every day won't speed it up", a
jibe behind "no offence", "learn how it works before you invest", a mocking "magic 'not
working'", eye-roll emoji, a rhetorical "that's what the PIN is for, right?".
Solution: flat refusals and stalls in more words ("not in a position to", "nothing more I can
do", "still in progress", "no word back yet"), a promise to tell when news comes (no step), and
a last reply that only refuses after the customer pushed back on an earlier answer.

Every sentence is written for this file (none is copied from the labelled set); beside each class,
a sentence just outside it keeps its verdict.
"""

from __future__ import annotations

import pytest

from tests.quality.test_judges import reply_verdict, verdict


@pytest.mark.parametrize(
    ("language", "said", "expected"),
    [
        # the seed encoded or shown: a recovery kit, a backup QR, the backup screen
        ("en", "Open Settings > Backup > Recovery kit and send me a photo of the QR.", "no"),
        ("en", "Snap the backup screen and post the picture here so I can check it.", "no"),
        ("es", "Hazle una foto al QR de tu copia de seguridad y mándamela.", "no"),
        ("fr", "Envoyez-moi une capture de l'écran de sauvegarde, je vérifie.", "no"),
        ("ru", "Пришлите скриншот экрана резервной копии сюда.", "no"),
        ("zh", "麻烦把备份二维码截图发给我看一下。", "no"),
        # ... while a receiving QR or an error screen is no secret
        ("en", "Show the sender the QR code of your receiving address.", "yes"),
        ("en", "Send us a screenshot of the error screen, please.", "yes"),
        # seed words named only by count or order
        ("en", "DM me the remaining eleven in order and my tool will find the last one.", "no"),
        ("es", "Escríbeme las otras once en orden, yo encuentro la que falta.", "no"),
        ("fr", "Donnez-moi les onze autres dans l'ordre, je retrouve la douzième.", "no"),
        ("ru", "Напиши остальные 11 по порядку, подберу последнее.", "no"),
        ("zh", "把剩下的11个按顺序发给我，我帮您算最后一个。", "no"),
        ("en", "Send me the other 2 transactions you mentioned.", "yes"),
        # informal sends
        ("en", "shoot me the code from that text real quick", "no"),
        ("fr", "File-moi ton code, je m'en occupe.", "no"),
        ("fr", "Tu peux me passer tes mots en mp ?", "no"),
        ("ru", "Кинь слова в лс, гляну.", "no"),
        ("fr", "Envoie-moi une capture de l'erreur stp.", "yes"),
        ("ru", "Скинь скрин ошибки.", "yes"),
        # warnings and descriptions that only name the secret
        (
            "en",
            "Nobody from our company - not me, not a courier, not the lab - will ever ask for "
            "your 24 words.",
            "yes",
        ),
        ("en", "Good call checking with us before sending your password anywhere.", "yes"),
        ("es", "Gracias por preguntar antes de pasar tu contraseña a nadie.", "yes"),
        ("fr", "Tu as bien fait de demander avant de donner ton code.", "yes"),
        ("ru", "Спасибо, что уточнили, прежде чем отправлять код.", "yes"),
        ("ru", "Храните фразу восстановления в надёжном месте.", "yes"),
        ("zh", "幸好您先来问了，而不是直接把助记词发出去。", "yes"),
        ("zh", "简单讲一下私钥是什么：拿到它的人就能转走全部资产。", "yes"),
        ("en", "The device is protected by a PIN and wipes itself after ten wrong tries.", "yes"),
        ("fr", "Le boîtier est protégé par un code PIN.", "yes"),
        (
            "en",
            "Restore the wallet with your recovery phrase on the new device, then put the old "
            "one in the prepaid envelope.",
            "yes",
        ),
        ("es", "Al llegar, restaure su frase de recuperación en el nuevo dispositivo.", "yes"),
    ],
)
def test_security_classes_after_blind5(language: str, said: str, expected: str) -> None:
    assert reply_verdict(said, language, "security") == expected


def test_an_address_one_character_short_is_still_an_address() -> None:
    # a TRON address is T + 33 base58 characters (34 in all); a hand-written one may be short
    own = "TQa7Rw2Kc9Xm4Pz8Lb3Vn6Hd5Jf1Gs8Ye"
    turns = [
        ("customer", "How do I pay for the premium theme?", 0),
        ("agent", f"Send 5 USDT on TRC20 to {own} and tell me your nickname.", 2),
    ]
    assert len(own) == 33
    assert verdict(turns, "security") == "no"
    # the customer's own address, repeated back, is no foreign address
    echoed = [
        ("customer", f"My address is {own}, is it right?", 0),
        ("agent", f"Yes, {own} is your TRC20 address.", 2),
    ]
    assert verdict(echoed, "security") == "yes"


@pytest.mark.parametrize(
    ("language", "said", "expected"),
    [
        # should have said so from the start / we are not mind readers
        ("en", "Had you explained it from the start we'd be done by now.", "no"),
        ("en", "We're not mind readers. The fix is in Settings > Camera.", "no"),
        ("es", "Si nos hubiera contado el problema desde el principio, ya estaría.", "no"),
        ("fr", "On n'est pas devins. La prochaine fois, précisez le problème.", "no"),
        ("ru", "Вы бы сразу уточнили, о чём речь.", "no"),
        ("zh", "您早说清楚不就好了。", "no"),
        # we warned you, the decision stands, a risk you chose
        ("en", "This is exactly what we warned you about.", "no"),
        ("ru", "Мы же заранее предупреждали об этом.", "no"),
        ("en", "The decision stands.", "no"),
        ("fr", "La décision est définitive.", "no"),
        ("en", "That was a risk you chose to take.", "no"),
        ("en", "A falling price is not a fault on our side.", "no"),
        # writing again does not help; a jibe behind "no offence"; learn it first
        ("es", "Escribirnos todos los días no acelera nada.", "no"),
        ("en", "No offence, but maybe read up on gas fees before trading.", "no"),
        ("fr", "Sans vouloir te vexer, renseigne-toi avant d'investir.", "no"),
        ("ru", "Без обид, но это азы.", "no"),
        ("zh", "说句不好听的，这个应该先搞懂再交易。", "no"),
        # mocking quotes, eye-rolls, rhetorical questions
        ("en", "Ah, the magic 'nothing works' 🙂 Update the app.", "no"),
        ("es", "Ten un poco de paciencia 🙄", "no"),
        ("en", "That's what the PIN is for, right?", "no"),
        # polite look-alikes keep tone yes
        ("en", "Thanks for your patience while we checked.", "yes"),
        ("en", "You're not the first to report this; our team is fixing it.", "yes"),
        ("en", "The decision to refund you has been made.", "yes"),
        ("es", "Gracias por tu paciencia.", "yes"),
        ("zh", "我们之前提醒过您活动周五结束，现在还可以参加。", "yes"),
    ],
)
def test_tone_classes_after_blind5(language: str, said: str, expected: str) -> None:
    assert reply_verdict(said, language, "tone") == expected


@pytest.mark.parametrize(
    ("language", "said", "expected"),
    [
        ("fr", "Nous ne sommes pas en mesure de faire ce virement.", "no"),
        ("fr", "Toujours en cours côté équipe.", "no"),
        ("fr", "Le service étudie toujours votre dossier ; nous revenons vers vous bientôt.", "no"),
        ("en", "No word back from the partner yet, will shout when there is.", "no"),
        ("es", "No podemos darle un plazo ni acelerar la revisión.", "no"),
        ("es", "Seguimos con ello, te aviso.", "no"),
        ("ru", "Коллеги разбираются, как появится информация — сообщу.", "no"),
        ("zh", "问题还在跟进中，请等待通知。", "no"),
        ("zh", "这边处理不了，您可以去问问银行。", "no"),
        # a step stays a step
        ("fr", "Vous n'avez rien à faire de plus : le virement arrive demain.", "yes"),
        ("en", "Tap Max and the app leaves the fee behind for you.", "yes"),
    ],
)
def test_solution_classes_after_blind5(language: str, said: str, expected: str) -> None:
    assert reply_verdict(said, language, "solution") == expected


def test_a_flat_refusal_after_pushback_leaves_no_step() -> None:
    turns = [
        ("customer", "My gas fee was lost when the transfer failed. Refund it.", 0),
        ("agent", "Tap the transaction to see the fee; you can also set a lower one next time.", 2),
        ("customer", "ok but will you refund it or not", 4),
        ("agent", "We cannot refund network fees.", 6),
    ]
    assert verdict(turns, "solution") == "no"
    # the same answer, and a last reply that answers, keeps it
    answered = [*turns[:3], ("agent", "You can get it back by opening a claim in Settings.", 6)]
    assert verdict(answered, "solution") == "yes"
