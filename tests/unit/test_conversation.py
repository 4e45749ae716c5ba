"""The conversation tree: the shown path, alternatives ‹ 2/3 ›, switching, the engine's input."""

from __future__ import annotations

from app.core.conversation import ConversationSnapshot, MessageNode
from app.core.messages import ChatMessage, Role

#  1 user "Q"
#  ├── 2 assistant "A1"
#  │    └── 4 user "follow-up"
#  │         └── 5 assistant "F1"
#  └── 3 assistant "A2"             (regenerated)
#  6 user "Q edited"                (edit of 1: a second root)
#  └── 7 assistant "E1"


def node(
    id_: int, parent: int | None, role: Role, text: str, *, left_out: bool = False
) -> MessageNode:
    return MessageNode(id_, parent, ChatMessage(role, text), left_out=left_out)


def tree(active_leaf: int | None) -> ConversationSnapshot:
    nodes = (
        node(1, None, Role.USER, "Q", left_out=True),
        node(2, 1, Role.ASSISTANT, "A1", left_out=True),
        node(3, 1, Role.ASSISTANT, "A2"),
        node(4, 2, Role.USER, "follow-up"),
        node(5, 4, Role.ASSISTANT, "F1"),
        node(6, None, Role.USER, "Q edited"),
        node(7, 6, Role.ASSISTANT, "E1"),
    )
    return ConversationSnapshot(1, nodes, active_leaf)


def test_active_path_runs_from_the_root_to_the_leaf() -> None:
    assert [n.id for n in tree(5).active_path] == [1, 2, 4, 5]
    assert tree(None).active_path == []
    assert tree(99).active_path == []


def test_turns_say_which_alternative_is_shown() -> None:
    assert [(t.node.id, t.alternative, t.alternatives) for t in tree(5).turns()] == [
        (1, 1, 2),
        (2, 1, 2),
        (4, 1, 1),
        (5, 1, 1),
    ]
    assert [(t.alternative, t.alternatives) for t in tree(3).turns()] == [(1, 2), (2, 2)]


def test_switching_descends_to_the_most_recent_leaf_of_that_alternative() -> None:
    snapshot = tree(3)
    assert snapshot.alternative_leaf(3, -1) == 5  # A1 continues with the follow-up
    assert snapshot.alternative_leaf(3, +1) is None
    assert snapshot.alternative_leaf(1, +1) == 7
    assert tree(7).alternative_leaf(6, -1) == 3  # Q's newest answer is A2


def test_an_edit_goes_beside_the_edited_message() -> None:
    snapshot = tree(5)
    assert snapshot.node(4).parent_id == 2
    assert snapshot.node(1).parent_id is None
    assert [n.id for n in snapshot.siblings(4)] == [4]
    assert [n.id for n in snapshot.siblings(6)] == [1, 6]


def test_last_answer_and_lookups() -> None:
    snapshot = tree(4)
    assert snapshot.last_answer is not None and snapshot.last_answer.id == 2
    assert snapshot.node(4).message.content == "follow-up"
    assert [n.id for n in snapshot.children(None)] == [1, 6]
    assert snapshot.latest_leaf_under(1) == 3
