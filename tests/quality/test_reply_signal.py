"""Security hygiene's second signal: a secret in the customer's reply (secrets-5).

Behaviour checks of docs/qa.md ("Security hygiene"): what a reply must look like to count,
and when the agent message before it is to blame. Accuracy figures come from the labelled
set (test_qa_labelled_set.py).
"""

from __future__ import annotations

import polars as pl
import pytest

from metrics.quality.scoring.replies import reply_secrets
from tests.quality.test_judges import verdicts

PHRASE = "orient rail ski much fine fence avocado sweet duck prosper grant tower"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("552 018", "a 6-digit code"),  # 5+5+2+0+1+8: six digits, the space dropped
        ("it's 0517", "a 4-digit code"),  # two filler words allowed before it
        ("验证码是 552018", "a 6-digit code"),
        ("Maple77river", "a password-like token"),  # letters with digits, alone
        ("password: hunter22", "a password-like token"),
        (PHRASE, "a list of 12 recovery words"),  # 12 English BIP39 words of 12 tokens
        ("here: [seed phrase removed]", "a seed phrase (removed on load)"),
        ("[private key removed]", "a private key (removed on load)"),
    ],
)
def test_a_reply_made_of_a_secret_is_recognised(text: str, kind: str) -> None:
    assert reply_secrets(pl.Series([text])).to_list() == [kind]


@pytest.mark.parametrize(
    "text",
    [
        "ok, sent",  # nothing of the secret in it
        "I sent 500 USDT",  # an amount, and more than a bare number
        "v2.3.1",  # a version
        "iPhone15",  # a phone model
        "My order 12345 failed yesterday and I need help",  # a number inside a sentence
        "7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU",  # a Solana address (base58, 44)
        "我在新手机上恢复了钱包，余额显示是0",  # a Chinese sentence is no token
        "I typed [seed phrase removed] into a website and then everything was gone",
    ],
)
def test_an_ordinary_reply_is_not_a_secret(text: str) -> None:
    assert reply_secrets(pl.Series([text])).to_list() == [None]


ASK = "Hi, thanks! I can approve it from here: what does the notification say?"
DONE = "Thanks, it's approved. Anything else?"


def test_a_code_answering_an_agent_question_fails_security_without_naming_the_secret() -> None:
    result = verdicts([("customer", "My withdrawal is stuck", 0), ("agent", ASK, 1),
                       ("customer", "481 075", 2), ("agent", DONE, 3)])["security"]  # fmt: skip
    assert result["verdict"] == "no"
    assert result["message_id"] == "m1"  # the agent's question, not the customer's reply
    assert "6-digit code" in result["evidence"] and "481" not in result["evidence"]


@pytest.mark.parametrize(
    "turns",
    [
        # volunteered in the opening message: no agent message before it
        [("customer", PHRASE, 0), ("agent", "Hello, thanks! Anything else?", 1)],
        # the agent's next message warns: the customer posted it unasked
        [("customer", "Where is the code?", 0), ("agent", "Hi, thanks! Let me know.", 1),
         ("customer", "482 907", 2),
         ("agent", "Please don't post codes here: type it in the app. Anything else?", 3)],
        # a routine number: the order number asked for
        [("customer", "My ETH never arrived", 0),
         ("agent", "Hello, sorry! What's the order number on the receipt?", 1),
         ("customer", "58213092", 2), ("agent", DONE, 3)],
        # the agent message before it asks nothing
        [("customer", "Withdrawal stuck", 0), ("agent", "Hi, thanks, it is on its way.", 1),
         ("customer", "482 907", 2), ("agent", DONE, 3)],
    ],
)  # fmt: skip
def test_a_secret_the_agent_did_not_ask_for_is_not_the_agents_failure(turns) -> None:  # noqa: ANN001
    assert verdicts(turns)["security"]["verdict"] == "yes"
