""""Re-check now": fresh lookups (no caches), and the message holding the button updated in place.

The message keeps the language it was written in (the button carries it, see
bot/slack/recheck_value.py): everyone in the channel sees it, so a click by someone with another
Slack language must not rewrite it in theirs. A re-checked summary (from a slash command) gets the
fresh details in its thread. A value this bot cannot read gets the apology, to the clicker alone.
"""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncAck
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.i18n import t
from bot.render.blocks import full_message, notice_message, present_for_slack, summary_message
from bot.slack import replies
from bot.slack.deps import Deps, Listener
from bot.slack.recheck_value import MessageKind, RecheckValue, button_value
from bot.slack.replies import Respond
from bot.slack.response_url import ResponseUrl

log = logging.getLogger(__name__)


def listener(deps: Deps) -> Listener:
    async def recheck(ack: AsyncAck, body: dict, action: dict, client: AsyncWebClient) -> None:
        await ack()
        container = body.get("container") or {}
        with deps.in_flight.track():
            respond = ResponseUrl(body.get("response_url"), session=client.session, redactor=deps.redactor)
            await answer(deps, client, respond, channel_id=(body.get("channel") or {}).get("id"),
                         message_ts=container.get("message_ts") or (body.get("message") or {}).get("ts"),
                         value=action.get("value", ""), user_id=(body.get("user") or {}).get("id"))

    return recheck


async def answer(deps: Deps, client: AsyncWebClient, respond: Respond, *, channel_id: str | None,
                 message_ts: str | None, value: str, user_id: str | None) -> None:
    clicker_lang = await deps.locales.lang_for(client, user_id)
    go, notice = replies.admitted(deps, user=user_id, channel=channel_id, lang=clicker_lang)
    if not go:
        if notice:
            await replies.quietly(respond(response_type="ephemeral", replace_original=False,
                                          **notice_message(notice)))
        return
    try:
        button = RecheckValue.decode(value, clicker_lang=clicker_lang)
        await deps.recheck_text(button.ref)  # a button from before a restart, or from another instance
        subject = button.subject(deps.recheck_texts)
        busy = notice_message(t(clicker_lang, "slack.busy"))
        diagnoses = await replies.diagnose_all(deps, await deps.parse(subject), fresh=True,
                                               on_busy=lambda: replies.quietly(respond(
                                                   response_type="ephemeral", replace_original=False, **busy)))
        diagnosis = diagnoses[0]
        view = present_for_slack(diagnosis, button.lang)
        recheck = button_value(diagnosis, text=subject, kind=button.kind, lang=button.lang, texts=deps.recheck_texts)
        if len(diagnoses) > 1:
            message = replies.answer_message(diagnoses, button.lang, recheck=recheck)
        else:
            render = summary_message if button.kind == MessageKind.SUMMARY else full_message
            message = render(view, recheck_value=recheck)
        if not channel_id or not message_ts or not await _update(client, channel_id, message_ts, message):
            # A message posted through response_url (bot not in the channel) can only be replaced there.
            await respond(replace_original=True, **message)
            return
        if button.kind == MessageKind.SUMMARY and len(diagnoses) == 1:
            await client.chat_postMessage(channel=channel_id, thread_ts=message_ts, **full_message(view))
    except Exception:
        ref = replies.log_failure("re-check", channel=channel_id, ts=message_ts)
        await replies.apologise(respond, clicker_lang, ref)


async def _update(client: AsyncWebClient, channel_id: str, ts: str, message: dict) -> bool:
    try:
        await client.chat_update(channel=channel_id, ts=ts, **message)
    except SlackApiError as error:
        log.info("chat.update not possible in %s (%s)", channel_id, replies.error_code(error))
        return False
    return True
