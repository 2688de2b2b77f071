"""Forum Q&A through discord.py's real code paths: posts answered in the post, tags, staff notes, resolved."""

from __future__ import annotations

import datetime as dt
import logging
import shutil

import discord
import pytest
import simcord
from helpers import NOW, embed_text
from simcord.backend.models import Overwrite
from simcord.enums import OverwriteType

from bot.discord.client import NOT_STAFF
from bot.knowledge import load_course
from bot.serving.assemble import build_engine
from bot.serving.live import LiveCourse
from bot.settings import Settings

TAGS = ("answered by bot", "needs staff", "resolved", "homework")
FORUM = {"forum_channel_id": 1}  # loads the forum cog; each scenario points it at its own forum


def make_forum(w, tags=TAGS) -> simcord.ChannelHandle:
    """A forum channel with tags the staff created, and the bot told to answer in it."""
    forum = w.guild.create_forum_channel("q-and-a")
    backend = w.env.backend
    backend.channels[forum.id].available_tags = [
        {"id": str(backend.snowflake()), "name": name, "moderated": False, "emoji_id": None, "emoji_name": None}
        for name in tags]
    backend.announce_channel_update(forum.id)
    w.bot.settings = w.bot.settings.model_copy(update={"discord": w.bot.config.model_copy(update={
        "forum_channel_id": None, "forum_channel_ids": (forum.id,)})})
    return forum


async def open_post(w, forum, author, title: str, body: str, *, message_first: bool = False) -> simcord.ChannelHandle:
    """A member opens a forum post, as Discord delivers it: THREAD_CREATE, then the starter message
    (whose id is the thread's) as MESSAGE_CREATE — or the other way round."""
    backend = w.env.backend
    starter = backend.prepare_message(forum.id, author.id, body)
    thread = backend.create_thread(forum.id, title, author.id, message_id=starter.id, broadcast=False)
    starter.channel_id = thread.id
    backend.commit_message(starter, broadcast=False)
    announce = [lambda: backend.announce_thread_create(thread), lambda: backend.announce_message_create(starter)]
    for event in reversed(announce) if message_first else announce:
        event()
    await w.env.settle()
    return simcord.ChannelHandle(w.env, w.guild, thread)


def tags_on(w, post) -> list[str]:
    backend = w.env.backend
    names = {int(t["id"]): t["name"] for t in backend.channels[backend.channels[post.id].parent_id].available_tags}
    return [names[t] for t in backend.channels[post.id].applied_tags]


def bot_messages(w, channel) -> list[discord.Message]:
    return [m for m in channel.history() if m.author.id == w.bot.user.id]


def button(message: discord.Message, label: str) -> str:
    return next(c.custom_id for row in message.components for c in row.children
                if (c.label or (c.emoji and c.emoji.name)) == label)


@pytest.mark.parametrize("message_first", [False, True], ids=["thread first", "message first"])
def test_a_post_is_answered_in_the_post_from_its_title_and_message(drive, live, store, message_first):
    async def scenario(w):
        forum = make_forum(w)
        post = await open_post(w, forum, w.student, "Homework 2", "when is it due?", message_first=message_first)
        [reply] = bot_messages(w, post)
        text = embed_text(reply.embeds[0])
        assert "Homework 2" in text and "Oct 20" in text
        due = next(d for d in live.course.deliverables if d.id == "homework-2")
        assert f"<t:{int(live.course.due_at(due, dt.time(23, 59)).timestamp())}:F>" in text
        assert [button(reply, label) for label in ("👍", "👎", "Resolved")]
        assert tags_on(w, post) == ["answered by bot"]
        assert w.staff_channel.last_message is None  # nothing for staff to do

    drive(scenario, **FORUM)
    assert store.stats(NOW - dt.timedelta(days=1), NOW + dt.timedelta(days=1)).answered == 1


def test_a_declined_post_is_tagged_needs_staff_and_staff_get_its_link_without_a_ping(drive):
    async def scenario(w):
        forum = make_forum(w)
        post = await open_post(w, forum, w.student, "Capital of Mongolia?", "what is the capital of mongolia?")
        [reply] = bot_messages(w, post)
        assert "CampusWire" in reply.embeds[0].description
        assert tags_on(w, post) == ["needs staff"]
        note = w.staff_channel.last_message
        assert f"https://discord.com/channels/{w.guild.id}/{post.id}" in note.content
        assert "Capital of Mongolia?" in note.content and button(note, "Save as FAQ")
        stored = w.env.backend.get_message(w.staff_channel.id, note.id)
        assert (stored.ping_user_ids, stored.ping_role_ids, stored.mention_everyone) == ([], [], False)

    drive(scenario, **FORUM)


def test_a_thumbs_down_retags_the_post_and_tells_staff_once(drive):
    async def scenario(w):
        forum = make_forum(w)
        post = await open_post(w, forum, w.student, "Late policy", "what is the late policy?")
        [reply] = bot_messages(w, post)
        assert tags_on(w, post) == ["answered by bot"]
        voted = await w.student.click(reply, custom_id=button(reply, "👎"))
        assert voted.ephemeral and "noted" in voted.response.content
        await w.env.settle()
        assert tags_on(w, post) == ["needs staff"]
        await w.teacher.click(reply, custom_id=button(reply, "👎"))
        await w.env.settle()
        notes = [m for m in w.staff_channel.history() if str(post.id) in m.content]
        assert len(notes) == 1 and "👎" in notes[0].content

    drive(scenario, **FORUM)


def test_the_author_marks_the_post_resolved_and_nothing_is_archived(drive):
    async def scenario(w):
        forum = make_forum(w)
        post = await open_post(w, forum, w.student, "Homework 2", "when is it due?")
        [reply] = bot_messages(w, post)
        other = w.guild.add_member(w.env.create_user("classmate"))
        refused = await other.click(reply, custom_id=button(reply, "Resolved"))
        assert refused.ephemeral and "Only the post's author" in refused.response.content
        done = await w.student.click(reply, custom_id=button(reply, "Resolved"))
        assert "Marked resolved" in done.response.content
        assert tags_on(w, post) == ["answered by bot", "resolved"]
        again = await w.student.slash(post, "resolved")  # the command does the same, idempotently
        assert "Marked resolved" in again.response.content
        elsewhere = await w.student.slash(w.channel, "resolved")
        assert elsewhere.ephemeral and "inside a post" in elsewhere.response.content
        meta = w.env.backend.channels[post.id].thread_metadata
        assert not meta.archived and not meta.locked

    drive(scenario, **FORUM)


def test_a_follow_up_that_mentions_the_bot_is_answered_in_the_post(drive):
    async def scenario(w):
        forum = make_forum(w)
        post = await open_post(w, forum, w.student, "Homework 2", f"<@{w.bot.user.id}> when is it due?")
        assert len(bot_messages(w, post)) == 1  # the post itself, answered once (not again as a mention)
        await w.student.send(post, f"<@{w.bot.user.id}> and what is the late policy?")
        follow_up = bot_messages(w, post)[-1]
        assert len(bot_messages(w, post)) == 2 and "late" in follow_up.embeds[0].description.lower()
        assert follow_up.reference is not None  # a reply to the follow-up, inside the post
        await w.student.send(post, "thanks, that helps")  # no mention: the bot stays quiet
        assert len(bot_messages(w, post)) == 2

    drive(scenario, **FORUM)


def test_without_manage_threads_posts_are_answered_and_the_log_says_so_once(drive, caplog):
    async def scenario(w):
        forum = make_forum(w, tags=("answered by bot", "needs staff"))  # no "resolved" tag either
        deny = discord.Permissions(manage_threads=True, manage_channels=True).value
        w.env.backend.channels[forum.id].overwrites.append(
            Overwrite(target_id=w.bot.user.id, type=OverwriteType.MEMBER, deny=deny))
        w.env.backend.announce_channel_update(forum.id)
        caplog.set_level(logging.WARNING, logger="bot.discord.forum")
        posts = [await open_post(w, forum, w.student, "Homework 2", f"when is it due? ({n})") for n in range(3)]
        assert all(len(bot_messages(w, p)) == 1 and tags_on(w, p) == [] for p in posts)
        labels = [c.label for row in bot_messages(w, posts[0])[0].components for c in row.children]
        assert "Resolved" not in labels  # no resolved tag to apply, so no button
        warnings = [r.getMessage() for r in caplog.records if r.name == "bot.discord.forum"]
        assert len([m for m in warnings if "Manage Threads" in m]) == 1
        assert len([m for m in warnings if "'resolved'" in m]) == 1
        edits = [r for r in w.env.http_requests if r.method == "PATCH" and r.path == f"/channels/{posts[0].id}"]
        assert edits == []  # checked before trying: nothing is created or forced

    drive(scenario, **FORUM)


def test_staff_tools_are_refused_to_students(drive):
    async def scenario(w):
        forum = make_forum(w)
        post = await open_post(w, forum, w.student, "Capital of Mongolia?", "what is the capital of mongolia?")
        answer = await w.student.send(post, "I think it is Ulaanbaatar")
        menu = await w.student.context_menu(post, "Save as FAQ", answer)
        assert menu.ephemeral and menu.response.content == NOT_STAFF and menu.modal is None
        note = w.staff_channel.last_message
        pressed = await w.student.click(note, custom_id=button(note, "Save as FAQ"))
        assert pressed.ephemeral and pressed.response.content == NOT_STAFF and pressed.modal is None
        w.env.errors  # noqa: B018 — the refusal went through the tree's error handler

    drive(scenario, **FORUM)


RECORDED = "Yes: every lecture is recorded and posted on Canvas under Panopto within a day."


@pytest.fixture
def editable(knowledge_copy, tmp_path, embedder, index_root) -> LiveCourse:
    """A serving course on a writable copy of the knowledge (its own index folder)."""
    index = tmp_path / "index"
    shutil.copytree(index_root / "fall2020", index)
    course = load_course(knowledge_copy)
    engine = build_engine(course, Settings(), embedder, index)
    return LiveCourse(knowledge_copy, Settings(), index, embedder, engine)


def modal_fields(modal: dict) -> dict[str, str]:
    """custom_id -> prefilled value of every text input in a modal payload."""
    found: dict[str, str] = {}

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == discord.ComponentType.text_input.value:
                found[node["custom_id"]] = node.get("value") or ""
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(modal)
    return found


def test_a_staff_answer_saved_as_faq_is_answered_by_the_bot_from_a_fresh_post(drive, editable):
    faq = editable.knowledge / "faq.yaml"
    before = faq.read_bytes()

    async def scenario(w):
        forum = make_forum(w)
        post = await open_post(w, forum, w.student, "Are the lectures recorded?", "I missed Tuesday's class.")
        assert tags_on(w, post) == ["needs staff"]
        answer = await w.teacher.send(post, RECORDED)
        shown = await w.teacher.context_menu(post, "Save as FAQ", answer)
        fields = modal_fields(shown.modal)
        assert fields == {"faq:id": "are-the-lectures-recorded", "faq:answer": RECORDED,
                          "faq:question": "Are the lectures recorded? I missed Tuesday's class."}
        saved = await w.teacher.submit_modal(shown, {**fields, "faq:question": "Are the lectures recorded?"})
        assert saved.ephemeral and "Saved `are-the-lectures-recorded`" in saved.response.content
        classmate = w.guild.add_member(w.env.create_user("classmate"))
        fresh = await open_post(w, forum, classmate, "Are the lectures recorded?", "Where can I watch them?")
        [reply] = bot_messages(w, fresh)
        assert "Panopto" in reply.embeds[0].description
        assert tags_on(w, fresh) == ["answered by bot"]

    drive(scenario, course=editable, **FORUM)
    after = faq.read_bytes()
    assert after.startswith(before) and b"Saved from a Discord forum post" in after
    assert load_course(editable.knowledge).faq[-1].question == "Are the lectures recorded?"


def test_the_staff_note_button_saves_the_newest_staff_answer(drive, editable):
    async def scenario(w):
        forum = make_forum(w)
        post = await open_post(w, forum, w.student, "Are the lectures recorded?", "I missed Tuesday's class.")
        await w.teacher.send(post, "An older staff reply.")
        await w.teacher.send(post, RECORDED)
        await w.student.send(post, "thanks!")  # newer, but not staff
        note = w.staff_channel.last_message
        shown = await w.teacher.click(note, custom_id=button(note, "Save as FAQ"))
        fields = modal_fields(shown.modal)
        assert fields["faq:answer"] == RECORDED
        saved = await w.teacher.submit_modal(shown, fields)
        assert "Saved `are-the-lectures-recorded`" in saved.response.content

    drive(scenario, course=editable, **FORUM)
    assert load_course(editable.knowledge).faq[-1].answer == RECORDED


def test_a_broken_faq_yaml_is_left_untouched_and_staff_are_told_why(drive, editable):
    faq = editable.knowledge / "faq.yaml"
    serving = editable.engine

    async def scenario(w):
        forum = make_forum(w)
        post = await open_post(w, forum, w.student, "Are the lectures recorded?", "I missed Tuesday's class.")
        answer = await w.teacher.send(post, RECORDED)
        shown = await w.teacher.context_menu(post, "Save as FAQ", answer)
        faq.write_text(faq.read_text() + "  - id: [half-typed\n")  # an editor saved a broken line meanwhile
        broken = faq.read_bytes()
        result = await w.teacher.submit_modal(shown, modal_fields(shown.modal))
        assert "Nothing was saved" in result.response.content and "not valid YAML" in result.response.content
        assert faq.read_bytes() == broken
        reopened = await w.teacher.context_menu(post, "Save as FAQ", answer)
        refused = await w.teacher.submit_modal(reopened, {**modal_fields(reopened.modal), "faq:id": "Bad Id"})
        assert "Nothing was saved" in refused.response.content and "lowercase" in refused.response.content
        assert faq.read_bytes() == broken

    drive(scenario, course=editable, **FORUM)
    assert editable.engine is serving  # nothing reloaded
