"""The request parser under generated input: whatever a client sends, the answer is a request or
a `RequestError` (a 400), never another exception (a 500). Hypothesis, derandomized (its seed is
fixed by the test's name), 2,500 request-shaped bodies and 500 raw byte strings."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.api.openai_format import KNOWN_KEYS, ROLES, ChatRequest, RequestError, parse_request
from app.core.sampling import SamplingParams

FUZZ = settings(
    max_examples=2500,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(["auto", "none", "required", "function", "json_schema", "text", "user"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(
                [
                    "type",
                    "name",
                    "function",
                    "schema",
                    "json_schema",
                    "url",
                    "arguments",
                    "id",
                    "image_url",
                    "text",
                    "parameters",
                    "x",
                ]
            ),
            inner,
            max_size=4,
        ),
    ),
    max_leaves=6,
)
content_parts = st.lists(
    st.fixed_dictionaries(
        {"type": st.sampled_from(["text", "image_url", "audio"])},
        optional={
            "text": values,
            "image_url": st.one_of(values, st.just({"url": "data:image/png;base64,iVBORw0K"})),
        },
    ),
    max_size=3,
)
messages = st.lists(
    st.fixed_dictionaries(
        {"role": st.one_of(st.sampled_from(ROLES), values)},
        optional={
            "content": st.one_of(st.text(max_size=20), content_parts, values),
            "tool_calls": st.one_of(
                values,
                st.lists(
                    st.fixed_dictionaries(
                        {
                            "function": st.fixed_dictionaries(
                                {"name": st.one_of(st.text(max_size=8), values)},
                                optional={"arguments": values},
                            )
                        },
                        optional={"id": st.one_of(st.text(max_size=20), values)},
                    ),
                    max_size=3,
                ),
            ),
            "tool_call_id": st.one_of(st.text(max_size=20), values),
            "name": values,
        },
    ),
    max_size=5,
)
requests = st.fixed_dictionaries(
    {"messages": st.one_of(messages, values)},
    optional={key: values for key in sorted(KNOWN_KEYS - {"messages"})},
)


def _parse(body: bytes) -> None:
    try:
        result = parse_request(body, SamplingParams(), "tiny")
    except RequestError as error:
        assert str(error)
    else:
        assert isinstance(result, ChatRequest)


@FUZZ
@given(requests)
def test_a_generated_request_is_parsed_or_refused(request: dict[str, Any]) -> None:
    _parse(json.dumps(request).encode())


@settings(FUZZ, max_examples=500)
@given(st.binary(max_size=200))
def test_raw_bytes_are_parsed_or_refused(body: bytes) -> None:
    _parse(body)
