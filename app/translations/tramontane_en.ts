<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name></name>
    <message numerus="yes">
        <source>%n conversation(s), {size} GB</source>
        <translation>
            <numerusform>%n conversation, {size} GB</numerusform>
            <numerusform>%n conversations, {size} GB</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n document(s) attached</source>
        <translation>
            <numerusform>%n document attached</numerusform>
            <numerusform>%n documents attached</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) attached</source>
        <translation>
            <numerusform>%n image attached</numerusform>
            <numerusform>%n images attached</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) take {tokens} tokens</source>
        <translation>
            <numerusform>%n image takes {tokens} tokens</numerusform>
            <numerusform>%n images take {tokens} tokens</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n older message(s) were left out so the conversation fits; they are marked in the conversation.</source>
        <translation>
            <numerusform>%n older message was left out so the conversation fits; it is marked in the conversation.</numerusform>
            <numerusform>%n older messages were left out so the conversation fits; they are marked in the conversation.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n page(s) go in as images but the model loaded cannot see images, or the message holds its 10 already; switch some to text or leave them out.</source>
        <translation>
            <numerusform>%n page goes in as an image but the model loaded cannot see images, or the message holds its 10 already; switch it to text or leave it out.</numerusform>
            <numerusform>%n pages go in as images but the model loaded cannot see images, or the message holds its 10 already; switch some to text or leave them out.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n page(s) of {name} were chosen but only {room} more images fit in a message (the model takes {limit})</source>
        <translation>
            <numerusform>%n page of {name} was chosen but only {room} more images fit in a message (the model takes {limit})</numerusform>
            <numerusform>%n pages of {name} were chosen but only {room} more images fit in a message (the model takes {limit})</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n token(s)</source>
        <translation>
            <numerusform>%n token</numerusform>
            <numerusform>%n tokens</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n token(s) as text</source>
        <translation>
            <numerusform>%n token as text</numerusform>
            <numerusform>%n tokens as text</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>A message takes at most {limit} images (the model&apos;s limit); %n image(s) left out.</source>
        <translation>
            <numerusform>A message takes at most {limit} images (the model&apos;s limit); %n image left out.</numerusform>
            <numerusform>A message takes at most {limit} images (the model&apos;s limit); %n images left out.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>API: %n waiting</source>
        <translation>
            <numerusform>API: %n waiting</numerusform>
            <numerusform>API: %n waiting</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>API: answering, %n waiting</source>
        <translation>
            <numerusform>API: answering, %n waiting</numerusform>
            <numerusform>API: answering, %n waiting</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Imported %n conversation(s).</source>
        <translation>
            <numerusform>Imported %n conversation.</numerusform>
            <numerusform>Imported %n conversations.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The %n oldest message(s) can be left out of what the model sees (the system prompt and pinned messages stay). They stay in the conversation and are marked as left out.</source>
        <translation>
            <numerusform>The %n oldest message can be left out of what the model sees (the system prompt and pinned messages stay). It stays in the conversation and is marked as left out.</numerusform>
            <numerusform>The %n oldest messages can be left out of what the model sees (the system prompt and pinned messages stay). They stay in the conversation and are marked as left out.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The model called tools %n time(s) in a row without answering; its last calls were not run. Send a message to go on.</source>
        <translation>
            <numerusform>The model called tools %n time in a row without answering; its last calls were not run. Send a message to go on.</numerusform>
            <numerusform>The model called tools %n times in a row without answering; its last calls were not run. Send a message to go on.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{name} has {pages} pages; a message takes %n more image(s).
Pages to attach (for example 1-3, 7):</source>
        <translation>
            <numerusform>{name} has {pages} pages; a message takes %n more image.
Pages to attach (for example 1-3, 7):</numerusform>
            <numerusform>{name} has {pages} pages; a message takes %n more images.
Pages to attach (for example 1-3, 7):</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{tokens} tokens (%n as image(s))</source>
        <translation>
            <numerusform>{tokens} tokens (%n as image)</numerusform>
            <numerusform>{tokens} tokens (%n as images)</numerusform>
        </translation>
    </message>
</context>
</TS>
