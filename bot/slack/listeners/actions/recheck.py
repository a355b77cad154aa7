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

from bot.render.blocks import full_message, present_for_slack, summary_message
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
            await answer(deps, client, ResponseUrl(body.get("response_url"), session=client.session),
                         channel_id=(body.get("channel") or {}).get("id"),
                         message_ts=container.get("message_ts") or (body.get("message") or {}).get("ts"),
                         value=action.get("value", ""), user_id=(body.get("user") or {}).get("id"))

    return recheck


async def answer(deps: Deps, client: AsyncWebClient, respond: Respond, *, channel_id: str | None,
                 message_ts: str | None, value: str, user_id: str | None) -> None:
    clicker_lang = await deps.locales.lang_for(client, user_id)
    try:
        button = RecheckValue.decode(value, clicker_lang=clicker_lang)
        diagnosis = await replies.diagnose(deps, deps.diagnoser.parse(button.subject), fresh=True)
        view = present_for_slack(diagnosis, button.lang)
        render = summary_message if button.kind == MessageKind.SUMMARY else full_message
        recheck = button_value(diagnosis, text=button.subject, kind=button.kind, lang=button.lang)
        message = render(view, recheck_value=recheck)
        if not channel_id or not message_ts or not await _update(client, channel_id, message_ts, message):
            # A message posted through response_url (bot not in the channel) can only be replaced there.
            await respond(replace_original=True, **message)
            return
        if button.kind == MessageKind.SUMMARY:
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
