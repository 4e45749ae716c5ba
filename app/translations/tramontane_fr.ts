<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr" sourcelanguage="en">
<context>
    <name></name>
    <message numerus="yes">
        <source>%n conversation(s), {size} GB</source>
        <translation>
            <numerusform>%n conversation, {size} Go</numerusform>
            <numerusform>%n conversations, {size} Go</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n document(s) attached</source>
        <translation>
            <numerusform>%n document joint</numerusform>
            <numerusform>%n documents joints</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) attached</source>
        <translation>
            <numerusform>%n image jointe</numerusform>
            <numerusform>%n images jointes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) take {tokens} tokens</source>
        <translation>
            <numerusform>%n image prend {tokens} jetons</numerusform>
            <numerusform>%n images prennent {tokens} jetons</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n older message(s) were left out so the conversation fits; they are marked in the conversation.</source>
        <translation>
            <numerusform>%n message ancien a été laissé de côté pour que la conversation tienne ; il est marqué dans la conversation.</numerusform>
            <numerusform>%n messages anciens ont été laissés de côté pour que la conversation tienne ; ils sont marqués dans la conversation.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n page(s) go in as images but the model loaded cannot see images, or the message holds its 10 already; switch some to text or leave them out.</source>
        <translation>
            <numerusform>%n page passe en image mais le modèle chargé ne voit pas les images, ou le message contient déjà ses 10 ; passez-en en texte ou laissez-les de côté.</numerusform>
            <numerusform>%n pages passent en images mais le modèle chargé ne voit pas les images, ou le message contient déjà ses 10 ; passez-en en texte ou laissez-les de côté.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n page(s) of {name} were chosen but only {room} more images fit in a message (the model takes {limit})</source>
        <translation>
            <numerusform>%n page de {name} a été choisie mais seules {room} images de plus tiennent dans un message (le modèle en prend {limit})</numerusform>
            <numerusform>%n pages de {name} ont été choisies mais seules {room} images de plus tiennent dans un message (le modèle en prend {limit})</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n token(s)</source>
        <translation>
            <numerusform>%n jeton</numerusform>
            <numerusform>%n jetons</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n token(s) as text</source>
        <translation>
            <numerusform>%n jeton en texte</numerusform>
            <numerusform>%n jetons en texte</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>A message takes at most {limit} images (the model&apos;s limit); %n image(s) left out.</source>
        <translation>
            <numerusform>Un message prend au plus {limit} images (la limite du modèle) ; %n image laissée de côté.</numerusform>
            <numerusform>Un message prend au plus {limit} images (la limite du modèle) ; %n images laissées de côté.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>API: %n waiting</source>
        <translation>
            <numerusform>API : %n en attente</numerusform>
            <numerusform>API : %n en attente</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>API: answering, %n waiting</source>
        <translation>
            <numerusform>API : réponse en cours, %n en attente</numerusform>
            <numerusform>API : réponse en cours, %n en attente</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Imported %n conversation(s).</source>
        <translation>
            <numerusform>%n conversation importée.</numerusform>
            <numerusform>%n conversations importées.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The %n oldest message(s) can be left out of what the model sees (the system prompt and pinned messages stay). They stay in the conversation and are marked as left out.</source>
        <translation>
            <numerusform>Le message le plus ancien (%n) peut être retiré de ce que lit le modèle (l’invite système et les messages épinglés restent). Il reste dans la conversation, marqué comme laissé de côté.</numerusform>
            <numerusform>Les %n messages les plus anciens peuvent être retirés de ce que lit le modèle (l’invite système et les messages épinglés restent). Ils restent dans la conversation, marqués comme laissés de côté.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The model called tools %n time(s) in a row without answering; its last calls were not run. Send a message to go on.</source>
        <translation>
            <numerusform>Le modèle a appelé des outils %n fois de suite sans répondre ; ses derniers appels n’ont pas été exécutés. Envoyez un message pour continuer.</numerusform>
            <numerusform>Le modèle a appelé des outils %n fois de suite sans répondre ; ses derniers appels n’ont pas été exécutés. Envoyez un message pour continuer.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{name} has {pages} pages; a message takes %n more image(s).
Pages to attach (for example 1-3, 7):</source>
        <translation>
            <numerusform>{name} a {pages} pages ; un message peut encore prendre %n image.
Pages à joindre (par exemple 1-3, 7) :</numerusform>
            <numerusform>{name} a {pages} pages ; un message peut encore prendre %n images.
Pages à joindre (par exemple 1-3, 7) :</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{tokens} tokens (%n as image(s))</source>
        <translation>
            <numerusform>{tokens} jetons (%n en image)</numerusform>
            <numerusform>{tokens} jetons (%n en images)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>About</name>
    <message>
        <source>Qt 6 and PySide6</source>
        <translation>Qt 6 et PySide6</translation>
    </message>
    <message>
        <source>by Mistral AI; the weights</source>
        <translation>par Mistral AI ; les poids</translation>
    </message>
    <message>
        <source>by The Qt Company; the Qt libraries in Tramontane&apos;s folder may be replaced by compatible builds of your own</source>
        <translation>par The Qt Company ; les bibliothèques Qt du dossier de Tramontane peuvent être remplacées par des versions compatibles que vous aurez compilées</translation>
    </message>
    <message>
        <source>by the ggml authors, through llama-cpp-python</source>
        <translation>par les auteurs de ggml, au travers de llama-cpp-python</translation>
    </message>
    <message>
        <source>see the package</source>
        <translation>voir le paquet</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>inconnue</translation>
    </message>
</context>
<context>
    <name>AboutDialog</name>
    <message>
        <source>About Tramontane</source>
        <translation>À propos de Tramontane</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>Closes this window</source>
        <translation>Ferme cette fenêtre</translation>
    </message>
    <message>
        <source>Component</source>
        <translation>Composant</translation>
    </message>
    <message>
        <source>Components</source>
        <translation>Composants</translation>
    </message>
    <message>
        <source>Image {file}, {width} × {height} pixels</source>
        <translation>Image {file}, {width} × {height} pixels</translation>
    </message>
    <message>
        <source>License</source>
        <translation>Licence</translation>
    </message>
    <message>
        <source>License text</source>
        <translation>Texte de la licence</translation>
    </message>
    <message>
        <source>Made with:</source>
        <translation>Réalisé avec :</translation>
    </message>
    <message>
        <source>Offline chat with Mistral Small 3.2 24B Instruct, run by llama.cpp on this computer. Tramontane is free software under the {license} license.</source>
        <translation>Discussion hors ligne avec Mistral Small 3.2 24B Instruct, exécuté par llama.cpp sur cet ordinateur. Tramontane est un logiciel libre sous licence {license}.</translation>
    </message>
    <message>
        <source>Show Tramontane&apos;s license ({license})</source>
        <translation>Afficher la licence de Tramontane ({license})</translation>
    </message>
    <message>
        <source>Show the license</source>
        <translation>Afficher la licence</translation>
    </message>
    <message>
        <source>Shows or hides the full text of Tramontane&apos;s license</source>
        <translation>Affiche ou masque le texte complet de la licence de Tramontane</translation>
    </message>
    <message>
        <source>The full text of Tramontane&apos;s license</source>
        <translation>Le texte complet de la licence de Tramontane</translation>
    </message>
    <message>
        <source>Tramontane&apos;s icon</source>
        <translation>Icône de Tramontane</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>What Tramontane is made of, with versions and licenses</source>
        <translation>Ce qui compose Tramontane, avec versions et licences</translation>
    </message>
</context>
<context>
    <name>Attacher</name>
    <message>
        <source>A message takes at most {limit} images (the model&apos;s limit).</source>
        <translation>Un message prend au plus {limit} images (la limite du modèle).</translation>
    </message>
    <message>
        <source>A message takes at most {limit} images (the model&apos;s limit); {name} and what followed were not attached.</source>
        <translation>Un message prend au plus {limit} images (la limite du modèle) ; {name} et les fichiers suivants n’ont pas été joints.</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Attach images, scans or documents</source>
        <translation>Joindre des images, des numérisations ou des documents</translation>
    </message>
    <message>
        <source>Dropped image</source>
        <translation>Image déposée</translation>
    </message>
    <message>
        <source>Not attached: it could not be read: {error}.</source>
        <translation>Non joint : impossible de le lire : {error}.</translation>
    </message>
    <message>
        <source>Not attached: {reason}.</source>
        <translation>Non joint : {reason}.</translation>
    </message>
    <message>
        <source>Pasted image</source>
        <translation>Image collée</translation>
    </message>
    <message>
        <source>Which pages?</source>
        <translation>Quelles pages ?</translation>
    </message>
    <message>
        <source>no page was chosen</source>
        <translation>aucune page n’a été choisie</translation>
    </message>
    <message>
        <source>the pages go from 1 to {count}; {part} is not among them</source>
        <translation>les pages vont de 1 à {count} ; {part} n’en fait pas partie</translation>
    </message>
    <message>
        <source>{name} cannot be attached: images (PNG, JPEG, WebP, BMP, GIF, TIFF), PDF documents and text files (text, Markdown, CSV, JSON, source code) can.</source>
        <translation>{name} ne peut pas être joint : on peut joindre des images (PNG, JPEG, WebP, BMP, GIF, TIFF), des documents PDF et des fichiers texte (texte, Markdown, CSV, JSON, code source).</translation>
    </message>
    <message>
        <source>“{part}” is not a page or a range of pages</source>
        <translation>« {part} » n’est ni une page ni une plage de pages</translation>
    </message>
</context>
<context>
    <name>AttachmentStrip</name>
    <message>
        <source>Attached document {name}</source>
        <translation>Document joint {name}</translation>
    </message>
    <message>
        <source>Attached image {label}</source>
        <translation>Image jointe {label}</translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation>Pièces jointes</translation>
    </message>
    <message>
        <source>Images and documents to be sent with the message</source>
        <translation>Images et documents à envoyer avec le message</translation>
    </message>
    <message>
        <source>Remove {name}</source>
        <translation>Retirer {name}</translation>
    </message>
    <message>
        <source>Takes this document off the message</source>
        <translation>Retire ce document du message</translation>
    </message>
    <message>
        <source>Takes this image off the message</source>
        <translation>Retire cette image du message</translation>
    </message>
    <message>
        <source>{label}, {size}, {width} × {height} pixels</source>
        <translation>{label}, {size}, {width} × {height} pixels</translation>
    </message>
    <message>
        <source>{name}: {tokens}</source>
        <translation>{name} : {tokens}</translation>
    </message>
</context>
<context>
    <name>ChatController</name>
    <message>
        <source>Load a model first: no model is ready to answer.</source>
        <translation>Chargez d’abord un modèle : aucun modèle n’est prêt à répondre.</translation>
    </message>
    <message>
        <source>The model is answering a request of the local API; send again in a moment.</source>
        <translation>Le modèle répond à une requête de l’API locale ; renvoyez dans un instant.</translation>
    </message>
    <message>
        <source>The previous answer is still stopping; send again in a moment.</source>
        <translation>La réponse précédente est encore en train de s’arrêter ; renvoyez dans un instant.</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <source>Ask Mistral anything.</source>
        <translation>Demandez ce que vous voulez à Mistral.</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>Conversation</translation>
    </message>
    <message>
        <source>Delete message</source>
        <translation>Supprimer le message</translation>
    </message>
    <message>
        <source>Delete this message and everything written after it on this branch?</source>
        <translation>Supprimer ce message et tout ce qui a été écrit après lui sur cette branche ?</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Messages</translation>
    </message>
    <message>
        <source>Newest message</source>
        <translation>Message le plus récent</translation>
    </message>
    <message>
        <source>Scroll to the newest message</source>
        <translation>Aller au message le plus récent</translation>
    </message>
    <message>
        <source>Up and Down move between messages; Enter goes into a message; F1 lists the keys</source>
        <translation>Haut et Bas passent d’un message à l’autre ; Entrée entre dans un message ; F1 liste les touches</translation>
    </message>
</context>
<context>
    <name>ClickableThumbnail</name>
    <message>
        <source>Click to see it at full size</source>
        <translation>Cliquez pour la voir en taille réelle</translation>
    </message>
    <message>
        <source>Image missing</source>
        <translation>Image manquante</translation>
    </message>
    <message>
        <source>image</source>
        <translation>image</translation>
    </message>
</context>
<context>
    <name>CodeBlockWidget</name>
    <message>
        <source>Code</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Copié</translation>
    </message>
    <message>
        <source>Copies this code block to the clipboard</source>
        <translation>Copie ce bloc de code dans le presse-papiers</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copier</translation>
    </message>
    <message>
        <source>Copy code</source>
        <translation>Copier le code</translation>
    </message>
    <message>
        <source>Copy this code</source>
        <translation>Copier ce code</translation>
    </message>
    <message>
        <source>code</source>
        <translation>code</translation>
    </message>
    <message>
        <source>{language} code</source>
        <translation>Code {language}</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>Answering…  (Esc stops)</source>
        <translation>Réponse en cours…  (Échap arrête)</translation>
    </message>
    <message>
        <source>Attach</source>
        <translation>Joindre</translation>
    </message>
    <message>
        <source>Attach images, scans or documents (or drop them here, or paste with Ctrl+V)</source>
        <translation>Joindre des images, des numérisations ou des documents (ou les déposer ici, ou les coller avec Ctrl+V)</translation>
    </message>
    <message>
        <source>Load a model to start chatting</source>
        <translation>Chargez un modèle pour commencer à discuter</translation>
    </message>
    <message>
        <source>Load model…</source>
        <translation>Charger un modèle…</translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation>Chargement du modèle…</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>Message Mistral Small  (Enter sends, Shift+Enter for a new line)</source>
        <translation>Écrire à Mistral Small  (Entrée envoie, Maj+Entrée pour aller à la ligne)</translation>
    </message>
    <message>
        <source>Model state</source>
        <translation>État du modèle</translation>
    </message>
    <message>
        <source>No model is loaded.</source>
        <translation>Aucun modèle n’est chargé.</translation>
    </message>
    <message>
        <source>Opens the choice of a model to load</source>
        <translation>Ouvre le choix d’un modèle à charger</translation>
    </message>
    <message>
        <source>Restart engine</source>
        <translation>Redémarrer le moteur</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Envoyer</translation>
    </message>
    <message>
        <source>Send (Enter)</source>
        <translation>Envoyer (Entrée)</translation>
    </message>
    <message>
        <source>Sends the message and its attachments to the model</source>
        <translation>Envoie le message et ses pièces jointes au modèle</translation>
    </message>
    <message>
        <source>Starts the engine again with the same model</source>
        <translation>Relance le moteur avec le même modèle</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Arrêter</translation>
    </message>
    <message>
        <source>Stop the answer (Esc)</source>
        <translation>Arrêter la réponse (Échap)</translation>
    </message>
    <message>
        <source>Stops the answer being written; what it wrote so far stays</source>
        <translation>Arrête la réponse en cours ; ce qui est déjà écrit reste</translation>
    </message>
    <message>
        <source>The engine has stopped</source>
        <translation>Le moteur s’est arrêté</translation>
    </message>
    <message>
        <source>The engine has stopped.</source>
        <translation>Le moteur s’est arrêté.</translation>
    </message>
    <message>
        <source>The message to send: Enter sends it, Shift+Enter starts a new line, Esc stops an answer. Dropped or pasted images and files are attached.</source>
        <translation>Le message à envoyer : Entrée l’envoie, Maj+Entrée va à la ligne, Échap arrête une réponse. Les images et fichiers déposés ou collés sont joints.</translation>
    </message>
</context>
<context>
    <name>ContextLimitDialog</name>
    <message>
        <source>Does the same without asking next time; Settings can change it</source>
        <translation>Fait de même sans demander la prochaine fois ; modifiable dans les Réglages</translation>
    </message>
    <message>
        <source>Don&apos;t send</source>
        <translation>Ne pas envoyer</translation>
    </message>
    <message>
        <source>Even the newest message alone does not fit. Shorten it, lower the answer length, or load the model with a larger context.</source>
        <translation>Même le dernier message seul ne tient pas. Raccourcissez-le, réduisez la longueur de la réponse ou chargez le modèle avec un contexte plus grand.</translation>
    </message>
    <message>
        <source>Keeps your message in the conversation, without an answer</source>
        <translation>Garde votre message dans la conversation, sans réponse</translation>
    </message>
    <message>
        <source>Leave out the oldest messages</source>
        <translation>Laisser de côté les messages les plus anciens</translation>
    </message>
    <message>
        <source>Remember my choice</source>
        <translation>Retenir mon choix</translation>
    </message>
    <message>
        <source>Remember my choice (can be changed in Settings)</source>
        <translation>Retenir mon choix (modifiable dans les Réglages)</translation>
    </message>
    <message>
        <source>Sends the message without the oldest messages, which stay in the conversation</source>
        <translation>Envoie le message sans les messages les plus anciens, qui restent dans la conversation</translation>
    </message>
    <message>
        <source>The conversation is too long</source>
        <translation>La conversation est trop longue</translation>
    </message>
    <message>
        <source>This conversation takes {prompt} tokens, but the context window holds {n_ctx}, of which {answer} are kept for the answer, leaving {room} for the conversation.</source>
        <translation>Cette conversation prend {prompt} jetons, mais la fenêtre de contexte en contient {n_ctx}, dont {answer} réservés à la réponse, ce qui en laisse {room} pour la conversation.</translation>
    </message>
</context>
<context>
    <name>ConversationDateBox</name>
    <message>
        <source>Its date: {date} (the day it started)</source>
        <translation>Sa date : {date} (le jour où elle a commencé)</translation>
    </message>
    <message>
        <source>The conversation will be read again from its first message with its next answer.</source>
        <translation>La conversation sera relue depuis son premier message à sa prochaine réponse.</translation>
    </message>
    <message>
        <source>The model is told the date the conversation started, so that its beginning never changes by itself and it reopens at once.</source>
        <translation>Le modèle reçoit la date à laquelle la conversation a commencé, pour que son début ne change jamais de lui-même et qu’elle se rouvre aussitôt.</translation>
    </message>
    <message>
        <source>Use today&apos;s date</source>
        <translation>Utiliser la date du jour</translation>
    </message>
</context>
<context>
    <name>ConversationEdits</name>
    <message>
        <source>The conversation could not be opened: {reason}</source>
        <translation>La conversation n’a pas pu être ouverte : {reason}</translation>
    </message>
</context>
<context>
    <name>ConversationFiles</name>
    <message>
        <source>Export all conversations</source>
        <translation>Exporter toutes les conversations</translation>
    </message>
    <message>
        <source>Export the conversation</source>
        <translation>Exporter la conversation</translation>
    </message>
    <message>
        <source>Import conversations</source>
        <translation>Importer des conversations</translation>
    </message>
</context>
<context>
    <name>ConversationList</name>
    <message>
        <source>Yesterday</source>
        <translation>Hier</translation>
    </message>
</context>
<context>
    <name>ConversationPrompt</name>
    <message>
        <source>This conversation&apos;s own settings are unusable ({reason}); they are ignored.</source>
        <translation>Les réglages propres à cette conversation sont inutilisables ({reason}) ; ils sont ignorés.</translation>
    </message>
</context>
<context>
    <name>ConversationSettingsDialog</name>
    <message>
        <source>Answered by</source>
        <translation>Réponses par</translation>
    </message>
    <message>
        <source>As in Settings → Engine</source>
        <translation>Comme dans Réglages → Moteur</translation>
    </message>
    <message>
        <source>Own sampling settings</source>
        <translation>Échantillonnage propre</translation>
    </message>
    <message>
        <source>Own system prompt</source>
        <translation>Prompt système propre</translation>
    </message>
    <message>
        <source>Settings for “{title}”</source>
        <translation>Réglages de « {title} »</translation>
    </message>
    <message>
        <source>The server of Settings → Engine</source>
        <translation>Le serveur de Réglages → Moteur</translation>
    </message>
    <message>
        <source>This computer</source>
        <translation>Cet ordinateur</translation>
    </message>
    <message>
        <source>This conversation uses the sampling below instead of the one in Settings</source>
        <translation>Cette conversation utilise l’échantillonnage ci-dessous au lieu de celui des Réglages</translation>
    </message>
    <message>
        <source>This conversation uses the system prompt below instead of the one in Settings</source>
        <translation>Cette conversation utilise le prompt système ci-dessous au lieu de celui des Réglages</translation>
    </message>
    <message>
        <source>Use a system prompt of its own</source>
        <translation>Utiliser un prompt système propre</translation>
    </message>
    <message>
        <source>Use sampling settings of its own</source>
        <translation>Utiliser des réglages d’échantillonnage propres</translation>
    </message>
    <message>
        <source>Whether this computer or the server of Settings answers this conversation</source>
        <translation>Indique si cet ordinateur ou le serveur des Réglages répond à cette conversation</translation>
    </message>
</context>
<context>
    <name>ConversationsController</name>
    <message>
        <source>All conversations were exported to {path}.</source>
        <translation>Toutes les conversations ont été exportées vers {path}.</translation>
    </message>
    <message>
        <source>Deleted conversations could not be removed: {reason}</source>
        <translation>Les conversations supprimées n’ont pas pu être effacées : {reason}</translation>
    </message>
    <message>
        <source>Export to {path} failed: {reason}</source>
        <translation>L’export vers {path} a échoué : {reason}</translation>
    </message>
    <message>
        <source>Exported to {path}.</source>
        <translation>Exporté vers {path}.</translation>
    </message>
    <message>
        <source>The conversation</source>
        <translation>La conversation</translation>
    </message>
    <message>
        <source>The conversation could not be deleted: {reason}</source>
        <translation>La conversation n’a pas pu être supprimée : {reason}</translation>
    </message>
    <message>
        <source>The conversation could not be pinned: {reason}</source>
        <translation>La conversation n’a pas pu être épinglée : {reason}</translation>
    </message>
    <message>
        <source>The conversation could not be renamed: {reason}</source>
        <translation>La conversation n’a pas pu être renommée : {reason}</translation>
    </message>
    <message>
        <source>The conversation could not be restored: {reason}</source>
        <translation>La conversation n’a pas pu être restaurée : {reason}</translation>
    </message>
    <message>
        <source>The conversations could not be read: {reason}</source>
        <translation>Les conversations n’ont pas pu être lues : {reason}</translation>
    </message>
    <message>
        <source>The search could not be run: {reason}</source>
        <translation>La recherche n’a pas pu être lancée : {reason}</translation>
    </message>
    <message>
        <source>{name} could not be imported: {reason}</source>
        <translation>{name} n’a pas pu être importé : {reason}</translation>
    </message>
</context>
<context>
    <name>Database</name>
    <message>
        <source>The conversation database was damaged. It was kept as {name} in {folder} and a new, empty one was started.</source>
        <translation>La base des conversations était endommagée. Elle a été conservée sous le nom {name} dans {folder} et une nouvelle base, vide, a été créée.</translation>
    </message>
</context>
<context>
    <name>DiskModelsPanel</name>
    <message>
        <source>Broken: {problem}</source>
        <translation>Endommagé : {problem}</translation>
    </message>
    <message>
        <source>Copies the file into Tramontane&apos;s folder</source>
        <translation>Copie le fichier dans le dossier de Tramontane</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copier</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <source>Delete the model?</source>
        <translation>Supprimer le modèle ?</translation>
    </message>
    <message>
        <source>Delete {file} ({size}) from Tramontane&apos;s folder?</source>
        <translation>Supprimer {file} ({size}) du dossier de Tramontane ?</translation>
    </message>
    <message>
        <source>Deletes the selected file from Tramontane&apos;s folder, after asking</source>
        <translation>Supprime le fichier sélectionné du dossier de Tramontane, après confirmation</translation>
    </message>
    <message>
        <source>Deletes what the selected download has fetched so far</source>
        <translation>Supprime ce que le téléchargement sélectionné a déjà récupéré</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>Supprimer…</translation>
    </message>
    <message>
        <source>Downloaded</source>
        <translation>Téléchargé</translation>
    </message>
    <message>
        <source>Downloads left unfinished, with how much is downloaded</source>
        <translation>Téléchargements laissés inachevés, avec la part déjà téléchargée</translation>
    </message>
    <message>
        <source>Each GGUF file found, with its model, where it is, its size and whether it can be used; Enter or a double click loads it</source>
        <translation>Chaque fichier GGUF trouvé, avec son modèle, son emplacement, sa taille et s’il est utilisable ; Entrée ou un double clic le charge</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Fichier</translation>
    </message>
    <message>
        <source>GGUF files in Tramontane&apos;s folder, the folders listed in Settings → Downloads, and where other programs keep them: the Hugging Face cache, llama.cpp&apos;s cache, Ollama, LM Studio and Jan. Those are used where they lie and never changed; only files in Tramontane&apos;s folder can be deleted.</source>
        <translation>Les fichiers GGUF du dossier de Tramontane, des dossiers listés dans Réglages → Téléchargements, et des endroits où d’autres programmes les rangent : le cache de Hugging Face, celui de llama.cpp, Ollama, LM Studio et Jan. Ceux-ci sont utilisés sur place et jamais modifiés ; seuls les fichiers du dossier de Tramontane peuvent être supprimés.</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf);;All files (*)</source>
        <translation>Modèles GGUF (*.gguf);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>How much of the file is copied into Tramontane&apos;s folder</source>
        <translation>La part du fichier déjà copiée dans le dossier de Tramontane</translation>
    </message>
    <message>
        <source>Import a file</source>
        <translation>Importer un fichier</translation>
    </message>
    <message>
        <source>Import a file…</source>
        <translation>Importer un fichier…</translation>
    </message>
    <message>
        <source>Import a model</source>
        <translation>Importer un modèle</translation>
    </message>
    <message>
        <source>Import progress</source>
        <translation>Progression de l’importation</translation>
    </message>
    <message>
        <source>Importing {file}…</source>
        <translation>Importation de {file}…</translation>
    </message>
    <message>
        <source>Link</source>
        <translation>Lier</translation>
    </message>
    <message>
        <source>Link {file} into Tramontane&apos;s folder (no extra disk space; keep the original where it is), or copy it?</source>
        <translation>Lier {file} dans le dossier de Tramontane (sans espace disque en plus ; l’original reste où il est), ou le copier ?</translation>
    </message>
    <message>
        <source>Links or copies a GGUF file into Tramontane&apos;s folder</source>
        <translation>Lie ou copie un fichier GGUF dans le dossier de Tramontane</translation>
    </message>
    <message>
        <source>Links the file: no extra disk space, the original stays</source>
        <translation>Lie le fichier : pas d’espace disque en plus, l’original reste en place</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>Charger</translation>
    </message>
    <message>
        <source>Loads the selected model file</source>
        <translation>Charge le fichier de modèle sélectionné</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <source>Model files on this computer</source>
        <translation>Fichiers de modèles sur cet ordinateur</translation>
    </message>
    <message>
        <source>Only files in Tramontane&apos;s folder can be deleted.</source>
        <translation>Seuls les fichiers du dossier de Tramontane peuvent être supprimés.</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Prêt</translation>
    </message>
    <message>
        <source>Ready, unverified (no SHA-256 was given to check it)</source>
        <translation>Prêt, non vérifié (aucun SHA-256 n’a été donné pour le contrôler)</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Retirer</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Reprendre</translation>
    </message>
    <message>
        <source>Resumes the selected download where it stopped</source>
        <translation>Reprend le téléchargement sélectionné là où il s’était arrêté</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>This model is loaded: load another one before deleting it.</source>
        <translation>Ce modèle est chargé : chargez-en un autre avant de le supprimer.</translation>
    </message>
    <message>
        <source>Unfinished downloads</source>
        <translation>Téléchargements inachevés</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Emplacement</translation>
    </message>
    <message>
        <source>other model</source>
        <translation>autre modèle</translation>
    </message>
    <message>
        <source>{done} of {size} ({percent})</source>
        <translation>{done} sur {size} ({percent})</translation>
    </message>
    <message>
        <source>{done} of {total}</source>
        <translation>{done} sur {total}</translation>
    </message>
    <message>
        <source>{file} is kept by {source} ({path}); Tramontane uses it where it lies and deletes only the files in its own folder.</source>
        <translation>{file} appartient à {source} ({path}) ; Tramontane l’utilise sur place et ne supprime que les fichiers de son propre dossier.</translation>
    </message>
</context>
<context>
    <name>DocumentDialog</name>
    <message>
        <source>Adds the chosen part of the document to the message</source>
        <translation>Ajoute la partie choisie du document au message</translation>
    </message>
    <message>
        <source>Attach</source>
        <translation>Joindre</translation>
    </message>
    <message>
        <source>Attaches nothing</source>
        <translation>Ne joint rien</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Too large for the context left; leave out pages or lines.</source>
        <translation>Trop grand pour le contexte restant ; laissez de côté des pages ou des lignes.</translation>
    </message>
    <message>
        <source>Total: about {total} (estimated: load a model to count exactly)</source>
        <translation>Total : environ {total} (estimation : chargez un modèle pour un compte exact)</translation>
    </message>
    <message>
        <source>Total: about {total} of {room} left in the context (estimated: load a model to count exactly)</source>
        <translation>Total : environ {total} sur {room} restants dans le contexte (estimation : chargez un modèle pour un compte exact)</translation>
    </message>
    <message>
        <source>Total: {total}</source>
        <translation>Total : {total}</translation>
    </message>
    <message>
        <source>Total: {total} of {room} left in the context</source>
        <translation>Total : {total} sur {room} restants dans le contexte</translation>
    </message>
    <message>
        <source>image</source>
        <translation>image</translation>
    </message>
    <message>
        <source>left out</source>
        <translation>laissée de côté</translation>
    </message>
    <message>
        <source>text</source>
        <translation>texte</translation>
    </message>
    <message>
        <source>{tokens} tokens</source>
        <translation>{tokens} jetons</translation>
    </message>
</context>
<context>
    <name>DocumentViewer</name>
    <message>
        <source>Attached document {name}</source>
        <translation>Document joint {name}</translation>
    </message>
    <message>
        <source>Click to read the text the model was given</source>
        <translation>Cliquez pour lire le texte donné au modèle</translation>
    </message>
    <message>
        <source>Opens the text the model was given</source>
        <translation>Ouvre le texte donné au modèle</translation>
    </message>
    <message>
        <source>Text of {name}</source>
        <translation>Texte de {name}</translation>
    </message>
    <message>
        <source>The text the model was given, read only</source>
        <translation>Le texte donné au modèle, en lecture seule</translation>
    </message>
</context>
<context>
    <name>DownloadBar</name>
    <message>
        <source>Download progress</source>
        <translation>Progression du téléchargement</translation>
    </message>
    <message>
        <source>How much of the model is downloaded</source>
        <translation>La part du modèle déjà téléchargée</translation>
    </message>
</context>
<context>
    <name>DownloadPlan</name>
    <message>
        <source>the vision projector</source>
        <translation>le projecteur de vision</translation>
    </message>
    <message>
        <source>{files} (about {size})</source>
        <translation>{files} (environ {size})</translation>
    </message>
    <message>
        <source>{files} ({size})</source>
        <translation>{files} ({size})</translation>
    </message>
    <message>
        <source>{model} with {projector}</source>
        <translation>{model} avec {projector}</translation>
    </message>
</context>
<context>
    <name>DownloadProgress</name>
    <message>
        <source>checking what was downloaded before</source>
        <translation>vérification de ce qui a déjà été téléchargé</translation>
    </message>
    <message>
        <source>done</source>
        <translation>terminé</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>en pause</translation>
    </message>
    <message>
        <source>the connection dropped, reconnecting</source>
        <translation>la connexion a été coupée, reconnexion</translation>
    </message>
    <message>
        <source>verifying</source>
        <translation>vérification</translation>
    </message>
    <message>
        <source>{duration} left</source>
        <translation>{duration} restantes</translation>
    </message>
    <message>
        <source>{name}: {done} of {total}</source>
        <translation>{name} : {done} sur {total}</translation>
    </message>
    <message>
        <source>{progress} ({state})</source>
        <translation>{progress} ({state})</translation>
    </message>
    <message>
        <source>{size}/s</source>
        <translation>{size}/s</translation>
    </message>
</context>
<context>
    <name>Downloader</name>
    <message>
        <source>Cannot write {path}: {reason}.</source>
        <translation>Impossible d’écrire {path} : {reason}.</translation>
    </message>
    <message>
        <source>The hub listed a file with an unsafe name: {name}.</source>
        <translation>Le hub a listé un fichier au nom dangereux : {name}.</translation>
    </message>
    <message>
        <source>The hub sent more data than {name} holds; the download was deleted.</source>
        <translation>Le hub a envoyé plus de données que {name} n’en contient ; le téléchargement a été supprimé.</translation>
    </message>
    <message>
        <source>The hub sent {what} instead of {name}: the hub&apos;s address may be wrong, or it asks to sign in. Nothing of it was kept; what was already downloaded stays and resumes.</source>
        <translation>Le hub a envoyé {what} au lieu de {name} : l’adresse du hub est peut-être fausse, ou il demande de se connecter. Rien n’en a été gardé ; ce qui était déjà téléchargé reste et reprendra.</translation>
    </message>
    <message>
        <source>the download of {name}</source>
        <translation>le téléchargement de {name}</translation>
    </message>
    <message>
        <source>the download of {name} stopped at {count} bytes and will resume from there</source>
        <translation>le téléchargement de {name} s’est arrêté à {count} octets et reprendra à partir de là</translation>
    </message>
    <message>
        <source>{name} changed on the hub since its list was made: refresh the list of files and download again.</source>
        <translation>{name} a changé sur le hub depuis que sa liste a été faite : actualisez la liste des fichiers et téléchargez-le de nouveau.</translation>
    </message>
    <message>
        <source>{name} could not be deleted: {reason}.</source>
        <translation>{name} n’a pas pu être supprimé : {reason}.</translation>
    </message>
</context>
<context>
    <name>EditBox</name>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Ctrl+Enter sends it as a new version; Escape cancels</source>
        <translation>Ctrl+Entrée l’envoie comme nouvelle version ; Échap annule</translation>
    </message>
    <message>
        <source>Edited message</source>
        <translation>Message modifié</translation>
    </message>
    <message>
        <source>Leave the message as it was</source>
        <translation>Laisser le message tel qu’il était</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Envoyer</translation>
    </message>
    <message>
        <source>Send the edited message (Ctrl+Enter); the original stays</source>
        <translation>Envoyer le message modifié (Ctrl+Entrée) ; l’original reste</translation>
    </message>
</context>
<context>
    <name>EngineClient</name>
    <message>
        <source>The engine stopped: {cause}. What was written so far is kept; restart the engine to go on.</source>
        <translation>Le moteur s’est arrêté : {cause}. Ce qui a déjà été écrit est conservé ; redémarrez le moteur pour continuer.</translation>
    </message>
    <message>
        <source>it exited with code {code}</source>
        <translation>il s’est terminé avec le code {code}</translation>
    </message>
    <message>
        <source>it stopped responding</source>
        <translation>il ne répondait plus</translation>
    </message>
    <message>
        <source>it was killed (SIGKILL), possibly by the system for lack of memory</source>
        <translation>il a été tué (SIGKILL), peut-être par le système faute de mémoire</translation>
    </message>
    <message>
        <source>it was stopped by {signal}</source>
        <translation>il a été arrêté par {signal}</translation>
    </message>
    <message>
        <source>llama.cpp aborted (SIGABRT)</source>
        <translation>llama.cpp s’est interrompu (SIGABRT)</translation>
    </message>
</context>
<context>
    <name>EngineController</name>
    <message>
        <source>Loading {name} stopped the engine last time ({reason}). It was not loaded again; the file may be damaged.</source>
        <translation>Le chargement de {name} a arrêté le moteur la dernière fois ({reason}). Il n’a pas été rechargé ; le fichier est peut-être endommagé.</translation>
    </message>
    <message>
        <source>The engine could not be reached: {reason}</source>
        <translation>Le moteur est injoignable : {reason}</translation>
    </message>
</context>
<context>
    <name>EngineNotices</name>
    <message>
        <source>Check that the file is still there.</source>
        <translation>Vérifiez que le fichier est toujours là.</translation>
    </message>
    <message>
        <source>Choose a .gguf model file.</source>
        <translation>Choisissez un fichier de modèle .gguf.</translation>
    </message>
    <message>
        <source>Choose a smaller context size in Settings.</source>
        <translation>Choisissez une taille de contexte plus petite dans les Réglages.</translation>
    </message>
    <message>
        <source>Choose the vision projector that belongs to this model in Settings.</source>
        <translation>Choisissez dans les Réglages le projecteur de vision qui correspond à ce modèle.</translation>
    </message>
    <message>
        <source>Get the projector</source>
        <translation>Obtenir le projecteur</translation>
    </message>
    <message>
        <source>Load a model with its vision projector first; then images can be attached.</source>
        <translation>Chargez d’abord un modèle avec son projecteur de vision ; des images pourront alors être jointes.</translation>
    </message>
    <message>
        <source>Load it anyway</source>
        <translation>Le charger quand même</translation>
    </message>
    <message>
        <source>Load model…</source>
        <translation>Charger un modèle…</translation>
    </message>
    <message>
        <source>Load with the projector</source>
        <translation>Charger avec le projecteur</translation>
    </message>
    <message>
        <source>Remove the image from the message, or attach it again.</source>
        <translation>Retirez l’image du message, ou joignez-la de nouveau.</translation>
    </message>
    <message>
        <source>Restart engine</source>
        <translation>Redémarrer le moteur</translation>
    </message>
    <message>
        <source>Shorten the message or start a new conversation.</source>
        <translation>Raccourcissez le message ou commencez une nouvelle conversation.</translation>
    </message>
    <message>
        <source>The file is incomplete; download it again.</source>
        <translation>Le fichier est incomplet ; téléchargez-le de nouveau.</translation>
    </message>
    <message>
        <source>The model&apos;s chat template could not be used.</source>
        <translation>Le modèle de discussion du modèle n’a pas pu être utilisé.</translation>
    </message>
    <message>
        <source>This model was loaded without its vision projector (mmproj), so it cannot see images. Download the projector in the Models window (it is loaded with the model from then on), or choose an mmproj file in Settings → Model.</source>
        <translation>Ce modèle a été chargé sans son projecteur de vision (mmproj), il ne peut donc pas voir les images. Téléchargez le projecteur dans la fenêtre Modèles (il sera ensuite chargé avec le modèle), ou choisissez un fichier mmproj dans Réglages → Modèle.</translation>
    </message>
    <message>
        <source>This model was loaded without its vision projector (mmproj), so it cannot see images. Its projector {file} is on disk: load the model with it.</source>
        <translation>Ce modèle a été chargé sans son projecteur de vision (mmproj), il ne peut donc pas voir les images. Son projecteur {file} est sur le disque : chargez le modèle avec lui.</translation>
    </message>
    <message>
        <source>Tramontane runs Mistral Small 3.2 GGUF files.</source>
        <translation>Tramontane exécute les fichiers GGUF de Mistral Small 3.2.</translation>
    </message>
    <message>
        <source>Try a smaller quant, a smaller context size, a quantized KV cache or fewer GPU layers.</source>
        <translation>Essayez une quantification plus petite, une taille de contexte plus petite, un cache KV quantifié ou moins de couches sur le GPU.</translation>
    </message>
    <message>
        <source>Use the built-in template</source>
        <translation>Utiliser le modèle de discussion intégré</translation>
    </message>
    <message>
        <source>{error} What was written of the answer was kept.</source>
        <translation>{error} Ce qui avait été écrit de la réponse a été conservé.</translation>
    </message>
    <message>
        <source>{error} {advice}</source>
        <translation>{error} {advice}</translation>
    </message>
    <message>
        <source>{file} is unverified: the hub it came from gave no SHA-256 to check its bytes against. Load it only if you trust where it came from.</source>
        <translation>{file} n’est pas vérifié : le hub d’où il vient n’a donné aucun SHA-256 pour contrôler ses octets. Ne le chargez que si vous avez confiance en sa provenance.</translation>
    </message>
</context>
<context>
    <name>EnginePage</name>
    <message>
        <source>API key</source>
        <translation>Clé d’API</translation>
    </message>
    <message>
        <source>Answer with a server</source>
        <translation>Répondre avec un serveur</translation>
    </message>
    <message>
        <source>Answer with a server instead of this computer</source>
        <translation>Répondre avec un serveur plutôt qu’avec cet ordinateur</translation>
    </message>
    <message>
        <source>Any server with an OpenAI-compatible API: vLLM (Mistral&apos;s recommendation for serving this model), llama.cpp&apos;s llama-server, Ollama (…/v1), LM Studio. Conversations, tools and history stay on this computer. The key is kept in the system keyring when there is one, else in a file only you can read.</source>
        <translation>Tout serveur doté d’une API compatible OpenAI : vLLM (recommandé par Mistral pour servir ce modèle), llama-server de llama.cpp, Ollama (…/v1), LM Studio. Les conversations, les outils et l’historique restent sur cet ordinateur. La clé est conservée dans le trousseau du système s’il y en a un, sinon dans un fichier que vous seul pouvez lire.</translation>
    </message>
    <message>
        <source>At http://HOST:PORT/v1 (/v1/models, /v1/chat/completions with streaming, tools and images). On 127.0.0.1 only this computer can reach it; on another address every request needs the token above (Authorization: Bearer …). Requests wait while the window is answering.</source>
        <translation>À l’adresse http://HÔTE:PORT/v1 (/v1/models, /v1/chat/completions avec streaming, outils et images). Sur 127.0.0.1, seul cet ordinateur peut l’atteindre ; sur une autre adresse, chaque requête doit porter le jeton ci-dessus (Authorization: Bearer …). Les requêtes attendent pendant que la fenêtre répond.</translation>
    </message>
    <message>
        <source>Give the server&apos;s address, or answer with this computer.</source>
        <translation>Indiquez l’adresse du serveur, ou répondez avec cet ordinateur.</translation>
    </message>
    <message>
        <source>Lets other programs use the loaded model through an OpenAI-compatible API</source>
        <translation>Permet à d’autres programmes d’utiliser le modèle chargé via une API compatible OpenAI</translation>
    </message>
    <message>
        <source>Listen on</source>
        <translation>Écouter sur</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Aucune</translation>
    </message>
    <message>
        <source>Not needed on 127.0.0.1</source>
        <translation>Inutile sur 127.0.0.1</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>Sends the conversations to an OpenAI-compatible server instead of the model on this computer</source>
        <translation>Envoie les conversations à un serveur compatible OpenAI plutôt qu’au modèle de cet ordinateur</translation>
    </message>
    <message>
        <source>Serve the loaded model</source>
        <translation>Servir le modèle chargé</translation>
    </message>
    <message>
        <source>Serve the loaded model on an OpenAI-compatible API</source>
        <translation>Servir le modèle chargé via une API compatible OpenAI</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Adresse du serveur</translation>
    </message>
    <message>
        <source>The address the API answers on; 127.0.0.1 for this computer only</source>
        <translation>L’adresse sur laquelle l’API répond ; 127.0.0.1 pour cet ordinateur seulement</translation>
    </message>
    <message>
        <source>The first model the server lists</source>
        <translation>Le premier modèle listé par le serveur</translation>
    </message>
    <message>
        <source>The http or https address of the server&apos;s API</source>
        <translation>L’adresse http ou https de l’API du serveur</translation>
    </message>
    <message>
        <source>The key the server asks for, if any; kept hidden</source>
        <translation>La clé demandée par le serveur, s’il y en a une ; masquée</translation>
    </message>
    <message>
        <source>The model to ask on the server; empty for the first it lists</source>
        <translation>Le modèle à interroger sur le serveur ; vide pour le premier qu’il liste</translation>
    </message>
    <message>
        <source>The port the API answers on</source>
        <translation>Le port sur lequel l’API répond</translation>
    </message>
    <message>
        <source>The server address “{address}” is not an http(s) URL.</source>
        <translation>L’adresse de serveur « {address} » n’est pas une URL http(s).</translation>
    </message>
    <message>
        <source>The token every request must carry when the API is reachable from other computers</source>
        <translation>Le jeton que chaque requête doit porter quand l’API est joignable depuis d’autres ordinateurs</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>Jeton</translation>
    </message>
</context>
<context>
    <name>EngineWorker</name>
    <message>
        <source>No model is loaded. Load a model first.</source>
        <translation>Aucun modèle n’est chargé. Chargez d’abord un modèle.</translation>
    </message>
    <message>
        <source>Not sent: {reason}</source>
        <translation>Non envoyé : {reason}</translation>
    </message>
    <message>
        <source>Not sent: {reason}.</source>
        <translation>Non envoyé : {reason}.</translation>
    </message>
    <message>
        <source>The chat template failed: {reason}</source>
        <translation>Le modèle de discussion a échoué : {reason}</translation>
    </message>
    <message>
        <source>The chat template in {name} failed: {reason}. Load the model with Tramontane&apos;s built-in Mistral Small 3.2 template instead.</source>
        <translation>Le modèle de discussion de {name} a échoué : {reason}. Chargez plutôt le modèle avec le modèle de discussion Mistral Small 3.2 intégré à Tramontane.</translation>
    </message>
    <message>
        <source>The engine failed: {reason}</source>
        <translation>Le moteur a échoué : {reason}</translation>
    </message>
</context>
<context>
    <name>FileFilter</name>
    <message>
        <source>Images and scans ({patterns})</source>
        <translation>Images et numérisations ({patterns})</translation>
    </message>
    <message>
        <source>Text and code ({patterns})</source>
        <translation>Texte et code ({patterns})</translation>
    </message>
</context>
<context>
    <name>FitLoad</name>
    <message>
        <source>all on the CPU: answers many times slower</source>
        <translation>entièrement sur le CPU : réponses bien plus lentes</translation>
    </message>
    <message>
        <source>answers a little slower</source>
        <translation>réponses un peu plus lentes</translation>
    </message>
    <message>
        <source>answers about {factor}× slower</source>
        <translation>réponses environ {factor}× plus lentes</translation>
    </message>
    <message>
        <source>full speed</source>
        <translation>pleine vitesse</translation>
    </message>
</context>
<context>
    <name>FitReport</name>
    <message>
        <source>This counts the vision projector ({projector}); with it, too little context fits in memory with {kv} KV cache ({without} tokens without images).</source>
        <translation>Ceci compte le projecteur de vision ({projector}) ; avec lui, trop peu de contexte tient en mémoire avec un cache KV {kv} ({without} jetons sans images).</translation>
    </message>
    <message>
        <source>This counts the vision projector ({projector}); with it, too little context fits on the GPU with {kv} KV cache ({without} tokens without images).</source>
        <translation>Ceci compte le projecteur de vision ({projector}) ; avec lui, trop peu de contexte tient sur le GPU avec un cache KV {kv} ({without} jetons sans images).</translation>
    </message>
    <message>
        <source>This counts the vision projector ({projector}); with it, {with_images} tokens of context fit in memory with {kv} KV cache ({without} without images).</source>
        <translation>Ceci compte le projecteur de vision ({projector}) ; avec lui, {with_images} jetons de contexte tiennent en mémoire avec un cache KV {kv} ({without} sans images).</translation>
    </message>
    <message>
        <source>This counts the vision projector ({projector}); with it, {with_images} tokens of context fit on the GPU with {kv} KV cache ({without} without images).</source>
        <translation>Ceci compte le projecteur de vision ({projector}) ; avec lui, {with_images} jetons de contexte tiennent sur le GPU avec un cache KV {kv} ({without} sans images).</translation>
    </message>
    <message>
        <source>This counts the vision projector ({projector}); with or without it, not even {smallest} fits in memory.</source>
        <translation>Ceci compte le projecteur de vision ({projector}) ; avec ou sans lui, même {smallest} ne tient pas en mémoire.</translation>
    </message>
    <message>
        <source>This counts the vision projector ({projector}); with or without it, not even {smallest} fits on the GPU.</source>
        <translation>Ceci compte le projecteur de vision ({projector}) ; avec ou sans lui, même {smallest} ne tient pas sur le GPU.</translation>
    </message>
    <message>
        <source>This does not count a vision projector: none is chosen, so images are off.</source>
        <translation>Ceci ne compte pas de projecteur de vision : aucun n’est choisi, les images sont donc désactivées.</translation>
    </message>
    <message>
        <source>the CPU ({ram} of RAM usable)</source>
        <translation>le CPU ({ram} de RAM utilisables)</translation>
    </message>
    <message>
        <source>the {gpu} (Metal may use {memory})</source>
        <translation>{gpu} (Metal peut en utiliser {memory})</translation>
    </message>
    <message>
        <source>the {gpu} ({memory})</source>
        <translation>{gpu} ({memory})</translation>
    </message>
    <message>
        <source>the {gpu} ({memory}, of which other programs hold {others})</source>
        <translation>{gpu} ({memory}, dont {others} occupés par d’autres programmes)</translation>
    </message>
    <message>
        <source>with {kv} it fits up to {context} tokens</source>
        <translation>avec {kv}, il tient jusqu’à {context} jetons</translation>
    </message>
    <message>
        <source>{context} with {kv}</source>
        <translation>{context} avec {kv}</translation>
    </message>
    <message>
        <source>{items} or {last}</source>
        <translation>{items} ou {last}</translation>
    </message>
    <message>
        <source>{quant} does not fit in this machine&apos;s memory, even at {smallest}.</source>
        <translation>{quant} ne tient pas dans la mémoire de cette machine, même avec {smallest}.</translation>
    </message>
    <message>
        <source>{quant} does not fit in {device}: it runs on the CPU only, much more slowly.</source>
        <translation>{quant} ne tient pas sur {device} : il tourne sur le CPU seul, bien plus lentement.</translation>
    </message>
    <message>
        <source>{quant} does not fit in {device}: it runs partly on the CPU, much more slowly ({layers} of {units} layers on the GPU at {smallest} context with {kv} KV cache).</source>
        <translation>{quant} ne tient pas sur {device} : il tourne en partie sur le CPU, bien plus lentement ({layers} couches sur {units} sur le GPU avec un contexte de {smallest} et un cache KV {kv}).</translation>
    </message>
    <message>
        <source>{quant} does not fit {full} on {device}: it fits up to {limits} KV cache (the full {full} would need {needed}).</source>
        <translation>{quant} ne tient pas en {full} sur {device} : il tient jusqu’à {limits} comme cache KV (tout le contexte de {full} demanderait {needed}).</translation>
    </message>
    <message>
        <source>{quant} runs the full {full} context on {device} with any KV cache type ({needs} at most).</source>
        <translation>{quant} tourne avec tout le contexte de {full} sur {device} quel que soit le type de cache KV ({needs} au plus).</translation>
    </message>
    <message>
        <source>{quant} runs {full} on {device} only with {kinds} KV cache ({needs}).</source>
        <translation>{quant} tourne en {full} sur {device} seulement avec un cache KV {kinds} ({needs}).</translation>
    </message>
    <message>
        <source>{quant} runs {full} on {device} only with {kinds} KV cache ({needs}); {others}.</source>
        <translation>{quant} tourne en {full} sur {device} seulement avec un cache KV {kinds} ({needs}) ; {others}.</translation>
    </message>
    <message>
        <source>{quant} with {kv} KV cache and a {context} context won&apos;t fit: it needs {total}, more than this machine&apos;s memory holds.</source>
        <translation>{quant} avec un cache KV {kv} et un contexte de {context} ne tient pas : il faut {total}, plus que la mémoire de cette machine.</translation>
    </message>
    <message>
        <source>{quant} with {kv} KV cache and a {context} context, all on {device}: {total}.</source>
        <translation>{quant} avec un cache KV {kv} et un contexte de {context}, entièrement sur {device} : {total}.</translation>
    </message>
    <message>
        <source>{quant} with {kv} KV cache and a {context} context, on the CPU (slow): {total} of RAM.</source>
        <translation>{quant} avec un cache KV {kv} et un contexte de {context}, sur le CPU (lent) : {total} de RAM.</translation>
    </message>
    <message>
        <source>{quant} with {kv} KV cache and a {context} context, {layers} of {units} layers on the GPU and the rest on the CPU ({cost}): {total} in all.</source>
        <translation>{quant} avec un cache KV {kv} et un contexte de {context}, {layers} couches sur {units} sur le GPU et le reste sur le CPU ({cost}) : {total} en tout.</translation>
    </message>
</context>
<context>
    <name>FolderList</name>
    <message>
        <source>A folder with GGUF models</source>
        <translation>Un dossier de modèles GGUF</translation>
    </message>
    <message>
        <source>Add a folder</source>
        <translation>Ajouter un dossier</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>Ajouter…</translation>
    </message>
    <message>
        <source>Chooses a folder to add to the list</source>
        <translation>Choisit un dossier à ajouter à la liste</translation>
    </message>
    <message>
        <source>Folders</source>
        <translation>Dossiers</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Retirer</translation>
    </message>
    <message>
        <source>Remove the folder</source>
        <translation>Retirer le dossier</translation>
    </message>
    <message>
        <source>Takes the selected folders off the list; nothing is deleted</source>
        <translation>Retire les dossiers sélectionnés de la liste ; rien n’est supprimé</translation>
    </message>
    <message>
        <source>The folders in this list</source>
        <translation>Les dossiers de cette liste</translation>
    </message>
</context>
<context>
    <name>Grammars</name>
    <message>
        <source>a schema must be a JSON object</source>
        <translation>un schéma doit être un objet JSON</translation>
    </message>
    <message>
        <source>no tool named {name} is offered</source>
        <translation>aucun outil nommé {name} n’est proposé</translation>
    </message>
    <message>
        <source>the schema cannot be turned into a grammar ({reason})</source>
        <translation>le schéma ne peut pas être converti en grammaire ({reason})</translation>
    </message>
    <message>
        <source>the schema is not JSON ({reason})</source>
        <translation>le schéma n’est pas du JSON ({reason})</translation>
    </message>
</context>
<context>
    <name>HubClient</name>
    <message>
        <source>The hub could not serve {what} (HTTP {status}).</source>
        <translation>Le hub n’a pas pu servir {what} (HTTP {status}).</translation>
    </message>
    <message>
        <source>The hub could not serve {what} (HTTP {status}); try again later.</source>
        <translation>Le hub n’a pas pu servir {what} (HTTP {status}) ; réessayez plus tard.</translation>
    </message>
    <message>
        <source>The hub has no file {what}.</source>
        <translation>Le hub n’a pas de fichier {what}.</translation>
    </message>
    <message>
        <source>The hub has no such revision of {what}.</source>
        <translation>Le hub n’a pas cette révision de {what}.</translation>
    </message>
    <message>
        <source>The hub has no {what} (or it is private).</source>
        <translation>Le hub n’a pas {what} (ou c’est privé).</translation>
    </message>
    <message>
        <source>The hub has no {what}.</source>
        <translation>Le hub n’a pas {what}.</translation>
    </message>
    <message>
        <source>The hub refused access to {what} (HTTP {status}).</source>
        <translation>Le hub a refusé l’accès à {what} (HTTP {status}).</translation>
    </message>
    <message>
        <source>a JSON message</source>
        <translation>un message JSON</translation>
    </message>
    <message>
        <source>a web page (HTML)</source>
        <translation>une page web (HTML)</translation>
    </message>
    <message>
        <source>the details of {name}</source>
        <translation>les détails de {name}</translation>
    </message>
    <message>
        <source>the download of {name}</source>
        <translation>le téléchargement de {name}</translation>
    </message>
    <message>
        <source>the list of files</source>
        <translation>la liste des fichiers</translation>
    </message>
    <message>
        <source>the repository {repo}</source>
        <translation>le dépôt {repo}</translation>
    </message>
    <message>
        <source>{what} is gated: accept its terms on the hub and sign in with a token.</source>
        <translation>{what} est en accès restreint : acceptez ses conditions sur le hub et connectez-vous avec un jeton d’accès.</translation>
    </message>
</context>
<context>
    <name>ImageViewer</name>
    <message>
        <source>{title} cannot be shown: its file is missing or damaged.</source>
        <translation>{title} ne peut pas être affichée : son fichier est manquant ou endommagé.</translation>
    </message>
</context>
<context>
    <name>LibraryPage</name>
    <message>
        <source>A mirror of the Hugging Face hub serves the same files at another address; leave it empty for the hub itself. Offline, the models list is the saved one and nothing is downloaded. Models in your folders are listed under Models → On this computer.</source>
        <translation>Un miroir du hub Hugging Face sert les mêmes fichiers à une autre adresse ; laissez vide pour le hub lui-même. Hors ligne, la liste des modèles est celle enregistrée et rien n’est téléchargé. Les modèles de vos dossiers sont listés dans Modèles → Sur cet ordinateur.</translation>
    </message>
    <message>
        <source>Hub address</source>
        <translation>Adresse du hub</translation>
    </message>
    <message>
        <source>Model folders</source>
        <translation>Dossiers de modèles</translation>
    </message>
    <message>
        <source>Never uses the network: the saved models list, no downloads</source>
        <translation>N’utilise jamais le réseau : la liste de modèles enregistrée, aucun téléchargement</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Hors ligne</translation>
    </message>
    <message>
        <source>Offline: never use the network</source>
        <translation>Hors ligne : ne jamais utiliser le réseau</translation>
    </message>
    <message>
        <source>The address of the Hugging Face hub or of a mirror; empty for the hub itself</source>
        <translation>L’adresse du hub Hugging Face ou d’un miroir ; vide pour le hub lui-même</translation>
    </message>
    <message>
        <source>Your folders of GGUF files, listed in the Models window</source>
        <translation>Vos dossiers de fichiers GGUF, listés dans la fenêtre Modèles</translation>
    </message>
</context>
<context>
    <name>Loader</name>
    <message>
        <source>The chat template in {name} does not work ({reason}). Tramontane can use its built-in Mistral Small 3.2 template instead.</source>
        <translation>Le modèle de discussion de {name} ne fonctionne pas ({reason}). Tramontane peut utiliser à la place son modèle de discussion Mistral Small 3.2 intégré.</translation>
    </message>
    <message>
        <source>This model file has no chat template. Tramontane can use its built-in Mistral Small 3.2 template instead.</source>
        <translation>Ce fichier de modèle n’a pas de modèle de discussion. Tramontane peut utiliser à la place son modèle de discussion Mistral Small 3.2 intégré.</translation>
    </message>
    <message>
        <source>llama.cpp could not load {name}: there is not enough memory.</source>
        <translation>llama.cpp n’a pas pu charger {name} : la mémoire est insuffisante.</translation>
    </message>
    <message>
        <source>llama.cpp could not load {name}: {reason}.</source>
        <translation>llama.cpp n’a pas pu charger {name} : {reason}.</translation>
    </message>
</context>
<context>
    <name>LocalApiServer</name>
    <message>
        <source>an API reachable from other computers needs a token</source>
        <translation>une API joignable depuis d’autres ordinateurs a besoin d’un jeton</translation>
    </message>
</context>
<context>
    <name>LocalModels</name>
    <message>
        <source>A model named {name} was already imported.</source>
        <translation>Un modèle nommé {name} a déjà été importé.</translation>
    </message>
    <message>
        <source>SHA-256 {actual}… differs from the hub&apos;s</source>
        <translation>le SHA-256 {actual}… diffère de celui du hub</translation>
    </message>
    <message>
        <source>cannot be read: {reason}</source>
        <translation>illisible : {reason}</translation>
    </message>
    <message>
        <source>damaged: {reason}</source>
        <translation>endommagé : {reason}</translation>
    </message>
    <message>
        <source>not a usable GGUF file: {reason}</source>
        <translation>fichier GGUF inutilisable : {reason}</translation>
    </message>
    <message>
        <source>the file holds {count} bytes but the hub lists {expected}</source>
        <translation>le fichier contient {count} octets mais le hub en indique {expected}</translation>
    </message>
    <message>
        <source>the file is missing</source>
        <translation>le fichier est absent</translation>
    </message>
    <message>
        <source>truncated: {reason}</source>
        <translation>tronqué : {reason}</translation>
    </message>
    <message>
        <source>{name} cannot be imported: {reason}.</source>
        <translation>{name} ne peut pas être importé : {reason}.</translation>
    </message>
    <message>
        <source>{name} cannot be linked here ({reason}); import a copy instead.</source>
        <translation>{name} ne peut pas être lié ici ({reason}) ; importez-en plutôt une copie.</translation>
    </message>
    <message>
        <source>{name} could not be copied: {reason}.</source>
        <translation>{name} n’a pas pu être copié : {reason}.</translation>
    </message>
    <message>
        <source>{name} could not be deleted: {reason}.</source>
        <translation>{name} n’a pas pu être supprimé : {reason}.</translation>
    </message>
    <message>
        <source>{path} is not in Tramontane&apos;s folder: Tramontane deletes only the files in its own folder, never those another program or you keep elsewhere.</source>
        <translation>{path} n’est pas dans le dossier de Tramontane : Tramontane ne supprime que les fichiers de son propre dossier, jamais ceux qu’un autre programme ou vous-même gardez ailleurs.</translation>
    </message>
</context>
<context>
    <name>LocaleFormat</name>
    <message>
        <source>{number} GB</source>
        <translation>{number} Go</translation>
    </message>
    <message>
        <source>{number} MB</source>
        <translation>{number} Mo</translation>
    </message>
    <message>
        <source>{number} bytes</source>
        <translation>{number} octets</translation>
    </message>
    <message>
        <source>{number} kB</source>
        <translation>{number} ko</translation>
    </message>
    <message>
        <source>{number}%</source>
        <translation>{number}&#xa0;%</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Something went wrong: {error}. Your conversations are safe.</source>
        <translation>Une erreur est survenue : {error}. Vos conversations sont intactes.</translation>
    </message>
    <message>
        <source>Tramontane cannot create its data folder: {reason}.</source>
        <translation>Tramontane ne peut pas créer son dossier de données : {reason}.</translation>
    </message>
    <message>
        <source>Tramontane cannot start</source>
        <translation>Tramontane ne peut pas démarrer</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Attachments are still being prepared; send once they appear.</source>
        <translation>Les pièces jointes sont encore en préparation ; envoyez une fois qu’elles apparaissent.</translation>
    </message>
    <message>
        <source>Chat with Mistral Small on this computer: conversations, messages and the field to write in</source>
        <translation>Conversez avec Mistral Small sur cet ordinateur : conversations, messages et champ où écrire</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>Conversation</translation>
    </message>
    <message>
        <source>Conversations and chat</source>
        <translation>Conversations et discussion</translation>
    </message>
    <message>
        <source>Engine stopped</source>
        <translation>Moteur arrêté</translation>
    </message>
    <message>
        <source>Load a model</source>
        <translation>Charger un modèle</translation>
    </message>
    <message>
        <source>Loading {file}…</source>
        <translation>Chargement de {file}…</translation>
    </message>
    <message>
        <source>The last answer was copied.</source>
        <translation>La dernière réponse a été copiée.</translation>
    </message>
    <message>
        <source>The list of conversations beside the open conversation</source>
        <translation>La liste des conversations à côté de la conversation ouverte</translation>
    </message>
    <message>
        <source>The messages of the open conversation and the field to write in</source>
        <translation>Les messages de la conversation ouverte et le champ où écrire</translation>
    </message>
    <message>
        <source>There is no answer to copy yet.</source>
        <translation>Il n’y a pas encore de réponse à copier.</translation>
    </message>
    <message>
        <source>{title} — Tramontane</source>
        <translation>{title} — Tramontane</translation>
    </message>
    <message>
        <source>“{title}” was deleted.</source>
        <translation>« {title} » a été supprimée.</translation>
    </message>
</context>
<context>
    <name>McpConfig</name>
    <message>
        <source>{path} cannot be read: {reason}</source>
        <translation>{path} est illisible : {reason}</translation>
    </message>
    <message>
        <source>{path} has no &quot;mcpServers&quot; object</source>
        <translation>{path} n’a pas d’objet « mcpServers »</translation>
    </message>
    <message>
        <source>{path} is not valid JSON ({reason}, line {line})</source>
        <translation>{path} n’est pas du JSON valide ({reason}, ligne {line})</translation>
    </message>
    <message>
        <source>{path}: the &quot;args&quot; of {name} must be a list of strings</source>
        <translation>{path} : les « args » de {name} doivent être une liste de chaînes</translation>
    </message>
    <message>
        <source>{path}: the &quot;url&quot; of {name} must start with http:// or https://</source>
        <translation>{path} : l’« url » de {name} doit commencer par http:// ou https://</translation>
    </message>
    <message>
        <source>{path}: the &quot;{section}&quot; of {name} must map names to strings</source>
        <translation>{path} : les « {section} » de {name} doivent associer des noms à des chaînes</translation>
    </message>
    <message>
        <source>{path}: the &quot;{section}&quot; of {name} use {variable}, which is not set</source>
        <translation>{path} : les « {section} » de {name} utilisent {variable}, qui n’est pas définie</translation>
    </message>
    <message>
        <source>{path}: the server {name} is not an object</source>
        <translation>{path} : le serveur {name} n’est pas un objet</translation>
    </message>
    <message>
        <source>{path}: the server {name} needs a &quot;command&quot; or a &quot;url&quot;</source>
        <translation>{path} : le serveur {name} a besoin d’une « command » ou d’une « url »</translation>
    </message>
</context>
<context>
    <name>McpConnection</name>
    <message>
        <source>it did not answer within {seconds} s</source>
        <translation>il n’a pas répondu dans les {seconds} s</translation>
    </message>
    <message>
        <source>skipped: {reason}</source>
        <translation>ignoré : {reason}</translation>
    </message>
    <message>
        <source>the connection failed: {reason}</source>
        <translation>la connexion a échoué : {reason}</translation>
    </message>
    <message>
        <source>the server closed the connection</source>
        <translation>le serveur a fermé la connexion</translation>
    </message>
    <message>
        <source>the server stopped ({reason})</source>
        <translation>le serveur s’est arrêté ({reason})</translation>
    </message>
</context>
<context>
    <name>McpManager</name>
    <message>
        <source>MCP servers were not started: {reason}.</source>
        <translation>Les serveurs MCP n’ont pas été démarrés : {reason}.</translation>
    </message>
    <message>
        <source>The MCP server {server} is not available: {reason}. Settings → Tools can restart it.</source>
        <translation>Le serveur MCP {server} n’est pas disponible : {reason}. Réglages → Outils permet de le redémarrer.</translation>
    </message>
    <message>
        <source>The MCP server {server} is not available: {reason}. Tramontane tries again in {seconds} s; Settings → Tools can restart it.</source>
        <translation>Le serveur MCP {server} n’est pas disponible : {reason}. Tramontane réessaie dans {seconds} s ; Réglages → Outils permet de le redémarrer.</translation>
    </message>
</context>
<context>
    <name>McpServersPanel</name>
    <message>
        <source>Connect to the selected server again now</source>
        <translation>Se reconnecter maintenant au serveur sélectionné</translation>
    </message>
    <message>
        <source>Each MCP server with its state and its tools</source>
        <translation>Chaque serveur MCP avec son état et ses outils</translation>
    </message>
    <message>
        <source>MCP servers</source>
        <translation>Serveurs MCP</translation>
    </message>
    <message>
        <source>Restart</source>
        <translation>Redémarrer</translation>
    </message>
    <message>
        <source>Restart the server</source>
        <translation>Redémarrer le serveur</translation>
    </message>
    <message>
        <source>no tools</source>
        <translation>aucun outil</translation>
    </message>
    <message>
        <source>{server}: not available ({reason})</source>
        <translation>{server} : indisponible ({reason})</translation>
    </message>
    <message>
        <source>{server}: not available ({reason}); tried again in {seconds} s</source>
        <translation>{server} : indisponible ({reason}) ; nouvel essai dans {seconds} s</translation>
    </message>
    <message>
        <source>{server}: running ({tools})</source>
        <translation>{server} : en marche ({tools})</translation>
    </message>
    <message>
        <source>{server}: running, protocol {protocol} ({tools})</source>
        <translation>{server} : en marche, protocole {protocol} ({tools})</translation>
    </message>
    <message>
        <source>{server}: starting…</source>
        <translation>{server} : démarrage…</translation>
    </message>
    <message>
        <source>{server}: stopped</source>
        <translation>{server} : arrêté</translation>
    </message>
</context>
<context>
    <name>MediaError</name>
    <message>
        <source>no page of {name} was chosen</source>
        <translation>aucune page de {name} n’a été choisie</translation>
    </message>
    <message>
        <source>{name} cannot be read: {reason}</source>
        <translation>{name} est illisible : {reason}</translation>
    </message>
    <message>
        <source>{name} does not exist</source>
        <translation>{name} n’existe pas</translation>
    </message>
    <message>
        <source>{name} has more than {count} pages, more than Tramontane reads from a TIFF; save the pages wanted as a PDF</source>
        <translation>{name} a plus de {count} pages, plus que Tramontane n’en lit dans un TIFF ; enregistrez les pages voulues en PDF</translation>
    </message>
    <message>
        <source>{name} has no pages</source>
        <translation>{name} n’a aucune page</translation>
    </message>
    <message>
        <source>{name} has too many pixels to open safely (a decompression bomb?)</source>
        <translation>{name} a trop de pixels pour être ouvert sans risque (une bombe de décompression ?)</translation>
    </message>
    <message>
        <source>{name} has {count} lines; {first}-{last} is not among them</source>
        <translation>{name} a {count} lignes ; {first}-{last} n’en fait pas partie</translation>
    </message>
    <message>
        <source>{name} has {count} pages; there is no page {page}</source>
        <translation>{name} a {count} pages ; il n’y a pas de page {page}</translation>
    </message>
    <message>
        <source>{name} is damaged or incomplete ({reason})</source>
        <translation>{name} est endommagé ou incomplet ({reason})</translation>
    </message>
    <message>
        <source>{name} is empty</source>
        <translation>{name} est vide</translation>
    </message>
    <message>
        <source>{name} is empty (0 bytes)</source>
        <translation>{name} est vide (0 octet)</translation>
    </message>
    <message>
        <source>{name} is larger than {size} MB</source>
        <translation>{name} dépasse {size} Mo</translation>
    </message>
    <message>
        <source>{name} is missing from the file</source>
        <translation>{name} est absent du fichier</translation>
    </message>
    <message>
        <source>{name} is not a readable PDF ({reason})</source>
        <translation>{name} n’est pas un PDF lisible ({reason})</translation>
    </message>
    <message>
        <source>{name} is not a text file Tramontane can read</source>
        <translation>{name} n’est pas un fichier texte que Tramontane sait lire</translation>
    </message>
    <message>
        <source>{name} is not an image Tramontane can read</source>
        <translation>{name} n’est pas une image que Tramontane sait lire</translation>
    </message>
    <message>
        <source>{name} is not an image or a PDF scan (PNG, JPEG, WebP, BMP, GIF, TIFF and PDF can be attached)</source>
        <translation>{name} n’est ni une image ni un PDF scanné (PNG, JPEG, WebP, BMP, GIF, TIFF et PDF peuvent être joints)</translation>
    </message>
    <message>
        <source>{name} is protected by a password; save an unprotected copy</source>
        <translation>{name} est protégé par un mot de passe ; enregistrez-en une copie non protégée</translation>
    </message>
    <message>
        <source>{name} is {width} x {height} pixels of {mode}: opening it would take more than {size} MB</source>
        <translation>{name} fait {width} x {height} pixels en {mode} : l’ouvrir demanderait plus de {size} Mo</translation>
    </message>
    <message>
        <source>{name} is {width} x {height} pixels: too large to be a screenshot, a photo or a scan (at most {millions} million pixels)</source>
        <translation>{name} fait {width} x {height} pixels : trop grand pour une capture d’écran, une photo ou un scan (au plus {millions} millions de pixels)</translation>
    </message>
</context>
<context>
    <name>MessageWidget</name>
    <message>
        <source>Attached image {number} of {count}</source>
        <translation>Image jointe {number} sur {count}</translation>
    </message>
    <message>
        <source>Being written</source>
        <translation>En cours d’écriture</translation>
    </message>
    <message>
        <source>Called {name} with {arguments}</source>
        <translation>A appelé {name} avec {arguments}</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Continuer</translation>
    </message>
    <message>
        <source>Continue answer</source>
        <translation>Continuer la réponse</translation>
    </message>
    <message>
        <source>Continue this answer</source>
        <translation>Continuer cette réponse</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Copié</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copier</translation>
    </message>
    <message>
        <source>Copy message</source>
        <translation>Copier le message</translation>
    </message>
    <message>
        <source>Copy this message</source>
        <translation>Copier ce message</translation>
    </message>
    <message>
        <source>Cut off at the length limit</source>
        <translation>Coupée à la longueur maximale</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <source>Delete message</source>
        <translation>Supprimer le message</translation>
    </message>
    <message>
        <source>Delete this message and what follows it</source>
        <translation>Supprimer ce message et ce qui le suit</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Modifier</translation>
    </message>
    <message>
        <source>Edit and send again (the original stays)</source>
        <translation>Modifier et renvoyer (l’original reste)</translation>
    </message>
    <message>
        <source>Edit message</source>
        <translation>Modifier le message</translation>
    </message>
    <message>
        <source>Interrupted: Tramontane closed while this was written</source>
        <translation>Interrompue : Tramontane a été fermé pendant l’écriture</translation>
    </message>
    <message>
        <source>Left out of the context</source>
        <translation>Laissé hors du contexte</translation>
    </message>
    <message>
        <source>Left out of what the model reads, so that the conversation fits its context</source>
        <translation>Laissé hors de ce que lit le modèle, pour que la conversation tienne dans son contexte</translation>
    </message>
    <message>
        <source>Message actions</source>
        <translation>Actions du message</translation>
    </message>
    <message>
        <source>Mistral</source>
        <translation>Mistral</translation>
    </message>
    <message>
        <source>Next version</source>
        <translation>Version suivante</translation>
    </message>
    <message>
        <source>Open {image}</source>
        <translation>Ouvrir {image}</translation>
    </message>
    <message>
        <source>Previous version</source>
        <translation>Version précédente</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>Régénérer</translation>
    </message>
    <message>
        <source>Regenerate answer</source>
        <translation>Régénérer la réponse</translation>
    </message>
    <message>
        <source>Show the next version of this message</source>
        <translation>Afficher la version suivante de ce message</translation>
    </message>
    <message>
        <source>Show the previous version of this message</source>
        <translation>Afficher la version précédente de ce message</translation>
    </message>
    <message>
        <source>Shows or hides what the tool returned</source>
        <translation>Affiche ou masque ce que l’outil a renvoyé</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Arrêtée</translation>
    </message>
    <message>
        <source>Stopped: the model was repeating itself</source>
        <translation>Arrêtée : le modèle se répétait</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>Prompt système</translation>
    </message>
    <message>
        <source>The engine failed while writing this answer</source>
        <translation>Le moteur a échoué en écrivant cette réponse</translation>
    </message>
    <message>
        <source>Tool</source>
        <translation>Outil</translation>
    </message>
    <message>
        <source>Tool result of {name}</source>
        <translation>Résultat de l’outil {name}</translation>
    </message>
    <message>
        <source>Tool result · {name}</source>
        <translation>Résultat de l’outil · {name}</translation>
    </message>
    <message>
        <source>Tool {name}</source>
        <translation>Outil {name}</translation>
    </message>
    <message>
        <source>Version {number} of {count}</source>
        <translation>Version {number} sur {count}</translation>
    </message>
    <message>
        <source>Write another answer (kept too)</source>
        <translation>Écrire une autre réponse (celle-ci est gardée)</translation>
    </message>
    <message>
        <source>Writing…</source>
        <translation>Écriture…</translation>
    </message>
    <message>
        <source>You</source>
        <translation>Vous</translation>
    </message>
    <message>
        <source>first token {seconds} s</source>
        <translation>premier jeton {seconds} s</translation>
    </message>
    <message>
        <source>tool</source>
        <translation>outil</translation>
    </message>
    <message>
        <source>{file}, missing</source>
        <translation>{file}, manquante</translation>
    </message>
    <message>
        <source>{file}, {size}</source>
        <translation>{file}, {size}</translation>
    </message>
    <message>
        <source>{file}, {size}, {width} × {height} pixels</source>
        <translation>{file}, {size}, {width} × {height} pixels</translation>
    </message>
    <message>
        <source>{kept} of drafted tokens kept, {speedup}× the speed</source>
        <translation>{kept} des jetons anticipés gardés, vitesse ×{speedup}</translation>
    </message>
    <message>
        <source>{speaker} answered: {text}</source>
        <translation>{speaker} a répondu : {text}</translation>
    </message>
    <message>
        <source>{speaker} is writing.</source>
        <translation>{speaker} écrit.</translation>
    </message>
    <message>
        <source>{speaker}, {time}</source>
        <translation>{speaker}, {time}</translation>
    </message>
    <message>
        <source>{speed} tokens/s</source>
        <translation>{speed} jetons/s</translation>
    </message>
</context>
<context>
    <name>MetalLimit</name>
    <message>
        <source>It needs an administrator&apos;s password, lasts until the Mac restarts, and leaves macOS and every other app {memory}.</source>
        <translation>Il faut le mot de passe d’un administrateur ; le réglage dure jusqu’au redémarrage du Mac et laisse {memory} à macOS et à toutes les autres apps.</translation>
    </message>
    <message>
        <source>It needs an administrator&apos;s password, lasts until the Mac restarts, and leaves macOS and every other app {memory}. Quit other apps first: with this little left, macOS will swap or stall.</source>
        <translation>Il faut le mot de passe d’un administrateur ; le réglage dure jusqu’au redémarrage du Mac et laisse {memory} à macOS et à toutes les autres apps. Quittez d’abord les autres apps : avec si peu de reste, macOS va utiliser le swap ou se figer.</translation>
    </message>
    <message>
        <source>Keeping the KV cache in system memory does not make it fit either.</source>
        <translation>Garder le cache KV en mémoire système ne suffit pas non plus.</translation>
    </message>
    <message>
        <source>Or a smaller quant, wholly on the GPU under today&apos;s limit with {kv} KV cache and images: {quants}.</source>
        <translation>Ou une quantification plus petite, entièrement sur le GPU sous la limite actuelle avec un cache KV {kv} et les images : {quants}.</translation>
    </message>
    <message>
        <source>Or a smaller quant, wholly on the GPU under today&apos;s limit with {kv} KV cache: {quants}.</source>
        <translation>Ou une quantification plus petite, entièrement sur le GPU sous la limite actuelle avec un cache KV {kv} : {quants}.</translation>
    </message>
    <message>
        <source>Or keep the KV cache in system memory (Settings → Model, KV cache on the GPU off): it fits under today&apos;s limit, but attention then runs on the CPU, so answers slow down more the longer the conversation (several times slower at long contexts).</source>
        <translation>Ou gardez le cache KV en mémoire système (Réglages → Modèle, cache KV sur le GPU désactivé) : il tient sous la limite actuelle, mais l’attention tourne alors sur le CPU, si bien que les réponses ralentissent à mesure que la conversation s’allonge (plusieurs fois plus lentes avec un long contexte).</translation>
    </message>
    <message>
        <source>{quant} up to {tokens} tokens</source>
        <translation>{quant} jusqu’à {tokens} jetons</translation>
    </message>
    <message>
        <source>{quant} with {tokens} tokens of {kv} KV cache</source>
        <translation>{quant} avec {tokens} jetons de cache KV {kv}</translation>
    </message>
    <message>
        <source>{quant} with {tokens} tokens of {kv} KV cache and the vision projector</source>
        <translation>{quant} avec {tokens} jetons de cache KV {kv} et le projecteur de vision</translation>
    </message>
    <message>
        <source>{what} needs {need} on the GPU, more than Metal&apos;s limit allows. Raising the limit to {limit} MB holds it; in Terminal:</source>
        <translation>{what} demande {need} sur le GPU, plus que la limite de Metal ne le permet. Relever la limite à {limit} Mo suffit ; dans le Terminal :</translation>
    </message>
    <message>
        <source>{what} needs {need} on the GPU: raising Metal&apos;s limit that far would leave macOS {left}, too little to run.</source>
        <translation>{what} demande {need} sur le GPU : relever la limite de Metal jusque-là ne laisserait que {left} à macOS, trop peu pour fonctionner.</translation>
    </message>
</context>
<context>
    <name>MetalLimitBox</name>
    <message>
        <source>Metal&apos;s limit was not changed. It can be set by hand in Terminal: {command}</source>
        <translation>La limite de Metal n’a pas été modifiée. Elle peut être réglée à la main dans le Terminal : {command}</translation>
    </message>
    <message>
        <source>Metal&apos;s limit was not changed: {error}. It can be set by hand in Terminal: {command}</source>
        <translation>La limite de Metal n’a pas été modifiée : {error}. Elle peut être réglée à la main dans le Terminal : {command}</translation>
    </message>
    <message>
        <source>Only on macOS; run the command above on the Mac</source>
        <translation>Seulement sur macOS ; lancez la commande ci-dessus sur le Mac</translation>
    </message>
    <message>
        <source>Raise Metal&apos;s limit</source>
        <translation>Relever la limite de Metal</translation>
    </message>
    <message>
        <source>Raise Metal&apos;s limit to {limit} MB…</source>
        <translation>Relever la limite de Metal à {limit} Mo…</translation>
    </message>
    <message>
        <source>Raises the memory macOS lets the GPU use</source>
        <translation>Augmente la mémoire que macOS laisse au GPU</translation>
    </message>
    <message>
        <source>macOS asks for an administrator&apos;s password first</source>
        <translation>macOS demande d’abord le mot de passe d’un administrateur</translation>
    </message>
</context>
<context>
    <name>MistralRules</name>
    <message>
        <source>A system message cannot follow a tool result.</source>
        <translation>Un message système ne peut pas suivre un résultat d’outil.</translation>
    </message>
    <message>
        <source>A system message cannot follow an assistant message.</source>
        <translation>Un message système ne peut pas suivre un message de l’assistant.</translation>
    </message>
    <message>
        <source>A tool offered to the model: {problem}.</source>
        <translation>Un outil proposé au modèle : {problem}.</translation>
    </message>
    <message>
        <source>A tool result cannot follow a system message.</source>
        <translation>Un résultat d’outil ne peut pas suivre un message système.</translation>
    </message>
    <message>
        <source>A tool result cannot follow a user message.</source>
        <translation>Un résultat d’outil ne peut pas suivre un message de l’utilisateur.</translation>
    </message>
    <message>
        <source>Message {number}: {reason}</source>
        <translation>Message {number} : {reason}</translation>
    </message>
    <message>
        <source>a second result for the call {id}.</source>
        <translation>un second résultat pour l’appel {id}.</translation>
    </message>
    <message>
        <source>an answer to continue needs text or tool calls; it is empty.</source>
        <translation>une réponse à poursuivre doit contenir du texte ou des appels d’outils ; elle est vide.</translation>
    </message>
    <message>
        <source>an assistant message needs text or tool calls; it is empty.</source>
        <translation>un message de l’assistant doit contenir du texte ou des appels d’outils ; il est vide.</translation>
    </message>
    <message>
        <source>only user messages can carry images.</source>
        <translation>seuls les messages de l’utilisateur peuvent porter des images.</translation>
    </message>
    <message>
        <source>the tool call id {id} is not 9 letters (a-z, A-Z) and digits.</source>
        <translation>l’identifiant d’appel d’outil {id} n’est pas fait de 9 lettres (a-z, A-Z) et chiffres.</translation>
    </message>
    <message>
        <source>the tool name {name} is not 1 to 64 letters (a-z, A-Z), digits, underscores or dashes, so the model cannot call it</source>
        <translation>le nom d’outil {name} n’est pas fait de 1 à 64 lettres (a-z, A-Z), chiffres, tirets bas ou tirets : le modèle ne peut pas l’appeler</translation>
    </message>
    <message>
        <source>the tool result answers no call of the message before ({id}).</source>
        <translation>le résultat d’outil ne répond à aucun appel du message précédent ({id}).</translation>
    </message>
    <message>
        <source>the tool result&apos;s call id {id} is not 9 letters (a-z, A-Z) and digits.</source>
        <translation>l’identifiant d’appel du résultat d’outil {id} n’est pas fait de 9 lettres (a-z, A-Z) et chiffres.</translation>
    </message>
    <message>
        <source>two tool calls have the id {id}.</source>
        <translation>deux appels d’outils ont l’identifiant {id}.</translation>
    </message>
</context>
<context>
    <name>ModelLoader</name>
    <message>
        <source>The model file {path} cannot be read: {reason}.</source>
        <translation>Le fichier de modèle {path} est illisible : {reason}.</translation>
    </message>
    <message>
        <source>The model file {path} does not exist (was it moved or deleted?).</source>
        <translation>Le fichier de modèle {path} n’existe pas (a-t-il été déplacé ou supprimé ?).</translation>
    </message>
    <message>
        <source>{name} did not fit in memory with {tried} of {units} layers on the GPU; loading it again with {layers} ({cost}).</source>
        <translation>{name} ne tenait pas en mémoire avec {tried} couches sur {units} sur le GPU ; nouveau chargement avec {layers} ({cost}).</translation>
    </message>
    <message>
        <source>{name} is not a GGUF model file.</source>
        <translation>{name} n’est pas un fichier de modèle GGUF.</translation>
    </message>
    <message>
        <source>{path} is a folder; choose a .gguf model file.</source>
        <translation>{path} est un dossier ; choisissez un fichier de modèle .gguf.</translation>
    </message>
</context>
<context>
    <name>ModelSearch</name>
    <message>
        <source>Hugging Face cache</source>
        <translation>Cache Hugging Face</translation>
    </message>
    <message>
        <source>Tramontane&apos;s folder</source>
        <translation>Dossier de Tramontane</translation>
    </message>
    <message>
        <source>Your folder</source>
        <translation>Votre dossier</translation>
    </message>
    <message>
        <source>llama.cpp&apos;s cache</source>
        <translation>Cache de llama.cpp</translation>
    </message>
</context>
<context>
    <name>ModelsController</name>
    <message>
        <source>The download failed: {reason}</source>
        <translation>Le téléchargement a échoué : {reason}</translation>
    </message>
    <message>
        <source>The download failed: {reason}.</source>
        <translation>Le téléchargement a échoué : {reason}.</translation>
    </message>
    <message>
        <source>The list of models could not be made: {reason}</source>
        <translation>La liste des modèles n’a pas pu être établie : {reason}</translation>
    </message>
    <message>
        <source>The partial {name} was removed: {size} freed.</source>
        <translation>Le fichier partiel {name} a été supprimé : {size} libérés.</translation>
    </message>
    <message>
        <source>{label} is downloaded and verified: {path}.</source>
        <translation>{label} est téléchargé et vérifié : {path}.</translation>
    </message>
    <message>
        <source>{label} is downloaded but unverified: the hub gave no SHA-256 for {files}, so its bytes could not be checked. Load it only if you trust where it came from.</source>
        <translation>{label} est téléchargé mais non vérifié : le hub n’a donné aucun SHA-256 pour {files}, ses octets n’ont donc pas pu être contrôlés. Ne le chargez que si vous avez confiance en sa provenance.</translation>
    </message>
    <message>
        <source>{label} is on disk: {path}.</source>
        <translation>{label} est sur le disque : {path}.</translation>
    </message>
    <message>
        <source>{name} was copied into {folder}.</source>
        <translation>{name} a été copié dans {folder}.</translation>
    </message>
    <message>
        <source>{name} was deleted: {size} freed.</source>
        <translation>{name} a été supprimé : {size} libérés.</translation>
    </message>
    <message>
        <source>{name} was linked into {folder}.</source>
        <translation>{name} a été lié dans {folder}.</translation>
    </message>
</context>
<context>
    <name>ModelsDialog</name>
    <message>
        <source>Also download the vision projector</source>
        <translation>Télécharger aussi le projecteur de vision</translation>
    </message>
    <message>
        <source>Also download the vision projector ({details})</source>
        <translation>Télécharger aussi le projecteur de vision ({details})</translation>
    </message>
    <message>
        <source>Bits/weight</source>
        <translation>Bits/poids</translation>
    </message>
    <message>
        <source>Cancel download</source>
        <translation>Annuler le téléchargement</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>Closes this window; a download goes on</source>
        <translation>Ferme cette fenêtre ; un téléchargement continue</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Télécharger</translation>
    </message>
    <message>
        <source>Download a quant of the model, or see the files on this computer</source>
        <translation>Télécharger une quantification du modèle, ou voir les fichiers de cet ordinateur</translation>
    </message>
    <message>
        <source>Download {what}</source>
        <translation>Télécharger {what}</translation>
    </message>
    <message>
        <source>Downloads the file that lets the model see images</source>
        <translation>Télécharge le fichier qui permet au modèle de voir les images</translation>
    </message>
    <message>
        <source>Downloads the selected quant</source>
        <translation>Télécharge la quantification sélectionnée</translation>
    </message>
    <message>
        <source>Each quant with its size and what it can do on this machine; Enter or a double click loads a downloaded one</source>
        <translation>Chaque quantification avec sa taille et ce qu’elle peut faire sur cette machine ; Entrée ou un double clic charge une quantification téléchargée</translation>
    </message>
    <message>
        <source>Hover over a verdict for the details.</source>
        <translation>Survolez un verdict pour les détails.</translation>
    </message>
    <message>
        <source>Listing the models…</source>
        <translation>Liste des modèles…</translation>
    </message>
    <message>
        <source>Lists the models again</source>
        <translation>Liste à nouveau les modèles</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>Charger</translation>
    </message>
    <message>
        <source>Loads the selected quant; the conversation stays</source>
        <translation>Charge la quantification sélectionnée ; la conversation reste</translation>
    </message>
    <message>
        <source>Memory of the loaded model</source>
        <translation>Mémoire du modèle chargé</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Modèles</translation>
    </message>
    <message>
        <source>No model is loaded.</source>
        <translation>Aucun modèle n’est chargé.</translation>
    </message>
    <message>
        <source>No vision projector is counted.</source>
        <translation>Aucun projecteur de vision n’est compté.</translation>
    </message>
    <message>
        <source>On disk</source>
        <translation>Sur le disque</translation>
    </message>
    <message>
        <source>On this computer</source>
        <translation>Sur cet ordinateur</translation>
    </message>
    <message>
        <source>On this machine</source>
        <translation>Sur cette machine</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>Pause or resume</source>
        <translation>Mettre en pause ou reprendre</translation>
    </message>
    <message>
        <source>Pauses the download, or resumes it where it stopped</source>
        <translation>Met le téléchargement en pause, ou le reprend là où il s’était arrêté</translation>
    </message>
    <message>
        <source>Quant</source>
        <translation>Quantification</translation>
    </message>
    <message>
        <source>Quants of the model</source>
        <translation>Quantifications du modèle</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Actualiser</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Reprendre</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <source>Starting the download of {quant}…</source>
        <translation>Début du téléchargement de {quant}…</translation>
    </message>
    <message>
        <source>Stops the download</source>
        <translation>Arrête le téléchargement</translation>
    </message>
    <message>
        <source>The download stopped.</source>
        <translation>Le téléchargement s’est arrêté.</translation>
    </message>
    <message>
        <source>The list of models could not be shown.</source>
        <translation>La liste des modèles n’a pas pu être affichée.</translation>
    </message>
    <message>
        <source>Verdicts for {device}, with the {kv_type} KV cache of Settings.</source>
        <translation>Verdicts pour {device}, avec le cache KV {kv_type} des Réglages.</translation>
    </message>
    <message>
        <source>What is said “with images” counts the vision projector ({projector} with its image buffer).</source>
        <translation>Ce qui est dit « avec images » compte le projecteur de vision ({projector} avec sa mémoire tampon d’image).</translation>
    </message>
    <message>
        <source>already on disk</source>
        <translation>déjà sur le disque</translation>
    </message>
    <message>
        <source>unverified</source>
        <translation>non vérifié</translation>
    </message>
    <message>
        <source>{progress} (pausing…)</source>
        <translation>{progress} (mise en pause…)</translation>
    </message>
    <message>
        <source>{summary} Load it now?</source>
        <translation>{summary} Le charger maintenant ?</translation>
    </message>
    <message>
        <source>✓ on disk</source>
        <translation>✓ sur le disque</translation>
    </message>
</context>
<context>
    <name>ModelsError</name>
    <message>
        <source>&apos;{repo}&apos; is not a repository id: write it as owner/name.</source>
        <translation>« {repo} » n’est pas un identifiant de dépôt : écrivez-le sous la forme propriétaire/nom.</translation>
    </message>
    <message>
        <source>Offline mode is on, so {what} cannot reach the Hugging Face hub.</source>
        <translation>Le mode hors ligne est activé : {what} ne peut pas joindre le hub Hugging Face.</translation>
    </message>
    <message>
        <source>The Hugging Face hub cannot be reached: check the network connection ({detail}).</source>
        <translation>Le hub Hugging Face est injoignable : vérifiez la connexion réseau ({detail}).</translation>
    </message>
    <message>
        <source>The Hugging Face hub cannot be reached: check the network connection.</source>
        <translation>Le hub Hugging Face est injoignable : vérifiez la connexion réseau.</translation>
    </message>
    <message>
        <source>The disk holding {where} is full. What was downloaded so far is kept: free some space and the download resumes where it stopped.</source>
        <translation>Le disque qui contient {where} est plein. Ce qui a été téléchargé jusqu’ici est conservé : libérez de l’espace et le téléchargement reprendra là où il s’est arrêté.</translation>
    </message>
    <message>
        <source>The download of {name} was cancelled and its partial file deleted.</source>
        <translation>Le téléchargement de {name} a été annulé et son fichier partiel supprimé.</translation>
    </message>
    <message>
        <source>The repository {repo} holds no GGUF files.</source>
        <translation>Le dépôt {repo} ne contient aucun fichier GGUF.</translation>
    </message>
    <message>
        <source>{name} arrived damaged (its SHA-256 is {actual}…, the hub lists {expected}…). The damaged file was deleted; download it again.</source>
        <translation>{name} est arrivé endommagé (son SHA-256 est {actual}…, le hub indique {expected}…). Le fichier endommagé a été supprimé ; téléchargez-le de nouveau.</translation>
    </message>
    <message>
        <source>{what} needs {needed} of free disk space but only {free} is free in {where}. Free some space or choose another folder.</source>
        <translation>{what} demande {needed} d’espace disque libre, mais seulement {free} sont libres dans {where}. Libérez de l’espace ou choisissez un autre dossier.</translation>
    </message>
</context>
<context>
    <name>ModelsOverview</name>
    <message>
        <source>Fits up to {tokens} tokens</source>
        <translation>Tient jusqu’à {tokens} jetons</translation>
    </message>
    <message>
        <source>Fits with the full {context} context</source>
        <translation>Tient avec tout le contexte de {context}</translation>
    </message>
    <message>
        <source>Runs on the CPU only (slow)</source>
        <translation>Tourne sur le CPU seul (lent)</translation>
    </message>
    <message>
        <source>Runs partly on the CPU ({gpu_layers}/{layers} layers on the GPU)</source>
        <translation>Tourne en partie sur le CPU ({gpu_layers}/{layers} couches sur le GPU)</translation>
    </message>
    <message>
        <source>Size unknown: no verdict</source>
        <translation>Taille inconnue : pas de verdict</translation>
    </message>
    <message>
        <source>The hub gives no SHA-256 for this file: a download cannot be verified.</source>
        <translation>Le hub ne donne aucun SHA-256 pour ce fichier : un téléchargement ne peut pas être vérifié.</translation>
    </message>
    <message>
        <source>Won&apos;t fit in this machine&apos;s memory</source>
        <translation>Ne tient pas dans la mémoire de cette machine</translation>
    </message>
    <message>
        <source>about {size}</source>
        <translation>environ {size}</translation>
    </message>
    <message>
        <source>llama.cpp reports {reported} (weights, KV cache and compute buffers).</source>
        <translation>llama.cpp indique {reported} (poids, cache KV et tampons de calcul).</translation>
    </message>
    <message>
        <source>size unknown</source>
        <translation>taille inconnue</translation>
    </message>
    <message>
        <source>{model} at {tokens} tokens with {kv_type} KV cache:
predicted {total} (weights {weights}, KV cache {kv_cache}, buffers {buffers});
</source>
        <translation>{model} avec {tokens} jetons et un cache KV {kv_type} :
prévu {total} (poids {weights}, cache KV {kv_cache}, tampons {buffers}) ;
</translation>
    </message>
    <message>
        <source>{model} at {tokens} tokens with {kv_type} KV cache:
predicted {total} (weights {weights}, KV cache {kv_cache}, buffers {buffers}, projector {projector});
</source>
        <translation>{model} avec {tokens} jetons et un cache KV {kv_type} :
prévu {total} (poids {weights}, cache KV {kv_cache}, tampons {buffers}, projecteur {projector}) ;
</translation>
    </message>
    <message>
        <source>{repo}, from the list saved {date}.</source>
        <translation>{repo}, d’après la liste enregistrée le {date}.</translation>
    </message>
    <message>
        <source>{repo}, from the list shipped with Tramontane.</source>
        <translation>{repo}, d’après la liste fournie avec Tramontane.</translation>
    </message>
    <message>
        <source>{repo}, from the saved list.</source>
        <translation>{repo}, d’après la liste enregistrée.</translation>
    </message>
    <message>
        <source>{repo}, listed by the hub just now.</source>
        <translation>{repo}, listé par le hub à l’instant.</translation>
    </message>
    <message>
        <source>{verdict}, images included</source>
        <translation>{verdict}, images comprises</translation>
    </message>
    <message>
        <source>{verdict}; with images: {images_verdict}</source>
        <translation>{verdict} ; avec images : {images_verdict}</translation>
    </message>
    <message>
        <source>{verdict}; {tokens} with images</source>
        <translation>{verdict} ; {tokens} avec images</translation>
    </message>
</context>
<context>
    <name>NoticeBar</name>
    <message>
        <source>Closes this notice</source>
        <translation>Ferme cet avis</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>Does what the notice offers, then closes it</source>
        <translation>Fait ce que propose l’avis, puis le ferme</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>Avis</translation>
    </message>
</context>
<context>
    <name>PathField</name>
    <message>
        <source>Browse: {field}</source>
        <translation>Parcourir : {field}</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <source>Chooses the file in a file dialog</source>
        <translation>Choisit le fichier dans une fenêtre de sélection</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf);;All files (*)</source>
        <translation>Modèles GGUF (*.gguf);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Aucun</translation>
    </message>
</context>
<context>
    <name>PdfPagesDialog</name>
    <message>
        <source>(page {number} has no text layer)</source>
        <translation>(la page {number} n’a pas de couche de texte)</translation>
    </message>
    <message>
        <source>Attach {file}</source>
        <translation>Joindre {file}</translation>
    </message>
    <message>
        <source>Each page of the document: how it goes in, why, and the tokens it takes</source>
        <translation>Chaque page du document : comment elle entre, pourquoi, et les jetons qu’elle prend</translation>
    </message>
    <message>
        <source>Goes in as</source>
        <translation>Entre comme</translation>
    </message>
    <message>
        <source>No page is chosen.</source>
        <translation>Aucune page n’est choisie.</translation>
    </message>
    <message>
        <source>Page</source>
        <translation>Page</translation>
    </message>
    <message>
        <source>Page text</source>
        <translation>Texte de la page</translation>
    </message>
    <message>
        <source>Page {number}</source>
        <translation>Page {number}</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>Pages</translation>
    </message>
    <message>
        <source>Pages with a usable text layer go in as text; scans, figures and pages whose text layer is missing or garbled go in as images. Switch any page, or leave it out.</source>
        <translation>Les pages dotées d’une couche de texte utilisable entrent comme texte ; les numérisations, les figures et les pages dont la couche de texte manque ou est illisible entrent comme images. Changez n’importe quelle page, ou laissez-la de côté.</translation>
    </message>
    <message>
        <source>The text layer of the selected page</source>
        <translation>La couche de texte de la page sélectionnée</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Jetons</translation>
    </message>
    <message>
        <source>Whether page {number} goes in as text, as an image, or not</source>
        <translation>Si la page {number} entre comme texte, comme image, ou pas du tout</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Pourquoi</translation>
    </message>
    <message>
        <source>{images} pages go in as images but the message takes {room} more (the model&apos;s limit); switch some to text or leave them out.</source>
        <translation>{images} pages passent en images mais le message n’en prend plus que {room} (la limite du modèle) ; passez-en en texte ou laissez-les de côté.</translation>
    </message>
</context>
<context>
    <name>PdfText</name>
    <message>
        <source>almost no text</source>
        <translation>presque pas de texte</translation>
    </message>
    <message>
        <source>garbled text layer</source>
        <translation>couche de texte illisible</translation>
    </message>
    <message>
        <source>no text layer</source>
        <translation>pas de couche de texte</translation>
    </message>
    <message>
        <source>pictures on the page</source>
        <translation>images sur la page</translation>
    </message>
    <message>
        <source>typed text</source>
        <translation>texte dactylographié</translation>
    </message>
</context>
<context>
    <name>RemoteEngineClient</name>
    <message>
        <source>Not sent: {reason}</source>
        <translation>Non envoyé : {reason}</translation>
    </message>
    <message>
        <source>The exchange with {server} failed: {reason}</source>
        <translation>L’échange avec {server} a échoué : {reason}</translation>
    </message>
    <message>
        <source>The secure connection to {server} failed: {reason}.</source>
        <translation>La connexion sécurisée à {server} a échoué : {reason}.</translation>
    </message>
    <message>
        <source>The server {server} cannot be reached: {reason}.</source>
        <translation>Le serveur {server} est injoignable : {reason}.</translation>
    </message>
    <message>
        <source>The server {server} did not answer in time ({seconds} s).</source>
        <translation>Le serveur {server} n’a pas répondu à temps ({seconds} s).</translation>
    </message>
    <message>
        <source>The server {server} does not allow this (403).</source>
        <translation>Le serveur {server} ne le permet pas (403).</translation>
    </message>
    <message>
        <source>The server {server} failed ({status}): {reason}</source>
        <translation>Le serveur {server} a échoué ({status}) : {reason}</translation>
    </message>
    <message>
        <source>The server {server} has no model {model} (404).</source>
        <translation>Le serveur {server} n’a pas de modèle {model} (404).</translation>
    </message>
    <message>
        <source>The server {server} has no model {model} (it offers none).</source>
        <translation>Le serveur {server} n’a pas de modèle {model} (il n’en propose aucun).</translation>
    </message>
    <message>
        <source>The server {server} has no model {model} (it offers {offered}).</source>
        <translation>Le serveur {server} n’a pas de modèle {model} (il propose {offered}).</translation>
    </message>
    <message>
        <source>The server {server} is busy or over its limit (429); try again in a moment.</source>
        <translation>Le serveur {server} est occupé ou a dépassé sa limite (429) ; réessayez dans un instant.</translation>
    </message>
    <message>
        <source>The server {server} refused the API key (401). Check it in Settings → Engine.</source>
        <translation>Le serveur {server} a refusé la clé d’API (401). Vérifiez-la dans Réglages → Moteur.</translation>
    </message>
    <message>
        <source>The server {server} sent something unreadable: {reason}</source>
        <translation>Le serveur {server} a envoyé une réponse illisible : {reason}</translation>
    </message>
    <message>
        <source>The server {server} stopped sending before the answer ended.</source>
        <translation>Le serveur {server} a cessé d’envoyer avant la fin de la réponse.</translation>
    </message>
    <message>
        <source>{model} on {server}</source>
        <translation>{model} sur {server}</translation>
    </message>
</context>
<context>
    <name>RichText</name>
    <message>
        <source>Copy</source>
        <translation>Copier</translation>
    </message>
    <message>
        <source>Copy link address</source>
        <translation>Copier l’adresse du lien</translation>
    </message>
    <message>
        <source>Select all</source>
        <translation>Tout sélectionner</translation>
    </message>
</context>
<context>
    <name>SamplerChain</name>
    <message>
        <source>the grammar could not be parsed (GBNF, with a root rule)</source>
        <translation>la grammaire n’a pas pu être analysée (GBNF, avec une règle root)</translation>
    </message>
</context>
<context>
    <name>SamplingForm</name>
    <message>
        <source> tokens</source>
        <translation> jetons</translation>
    </message>
    <message>
        <source>Draft from the conversation to write faster</source>
        <translation>Anticiper à partir de la conversation pour écrire plus vite</translation>
    </message>
    <message>
        <source>Drafting</source>
        <translation>Anticipation</translation>
    </message>
    <message>
        <source>Higher values make answers more varied, lower more focused</source>
        <translation>Plus la valeur est haute, plus les réponses sont variées ; plus elle est basse, plus elles sont précises</translation>
    </message>
    <message>
        <source>Keeps the likeliest tokens whose chances add up to this</source>
        <translation>Garde les jetons les plus probables dont les chances cumulées atteignent cette valeur</translation>
    </message>
    <message>
        <source>Keeps this many of the likeliest tokens; 0 keeps them all</source>
        <translation>Garde ce nombre de jetons parmi les plus probables ; 0 les garde tous</translation>
    </message>
    <message>
        <source>Longest answer</source>
        <translation>Réponse la plus longue</translation>
    </message>
    <message>
        <source>Mistral recommends temperature 0.15, top-p 1.0 and top-k off.</source>
        <translation>Mistral recommande une température de 0,15, un top-p de 1,0 et le top-k désactivé.</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Désactivé</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>Aléatoire</translation>
    </message>
    <message>
        <source>Repetition guard</source>
        <translation>Garde contre les répétitions</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Graine</translation>
    </message>
    <message>
        <source>Stop answers that repeat themselves endlessly</source>
        <translation>Arrêter les réponses qui se répètent sans fin</translation>
    </message>
    <message>
        <source>Stops an answer that repeats itself endlessly</source>
        <translation>Arrête une réponse qui se répète sans fin</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>Température</translation>
    </message>
    <message>
        <source>The model checks several tokens per step where the answer repeats text of the conversation. The answer stays the same.</source>
        <translation>Le modèle vérifie plusieurs jetons par étape là où la réponse reprend du texte de la conversation. La réponse reste la même.</translation>
    </message>
    <message>
        <source>The most tokens an answer may have</source>
        <translation>Le nombre maximal de jetons d’une réponse</translation>
    </message>
    <message>
        <source>The same seed gives the same answer; -1 is random</source>
        <translation>La même graine donne la même réponse ; -1 est aléatoire</translation>
    </message>
    <message>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <source>Writes faster where the answer repeats the conversation</source>
        <translation>Écrit plus vite là où la réponse reprend la conversation</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <source>The conversation needs {prompt} tokens plus {budget} for the answer, {over} more than the context of {context} tokens.</source>
        <translation>La conversation demande {prompt} jetons plus {budget} pour la réponse, soit {over} de plus que le contexte de {context} jetons.</translation>
    </message>
    <message>
        <source>This conversation has images; load the model with its vision projector (mmproj).</source>
        <translation>Cette conversation contient des images ; chargez le modèle avec son projecteur de vision (mmproj).</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>Settings were reset to the defaults: {reason}.</source>
        <translation>Les réglages ont été remis à leurs valeurs par défaut : {reason}.</translation>
    </message>
    <message>
        <source>Settings were reset to the defaults: {reason}. The file was kept as {name}.</source>
        <translation>Les réglages ont été remis à leurs valeurs par défaut : {reason}. Le fichier a été conservé sous le nom {name}.</translation>
    </message>
    <message>
        <source>The settings could not be saved to {path}: {reason}</source>
        <translation>Les réglages n’ont pas pu être enregistrés dans {path} : {reason}</translation>
    </message>
    <message>
        <source>The settings file {path} could not be read ({reason}).</source>
        <translation>Le fichier de réglages {path} n’a pas pu être lu ({reason}).</translation>
    </message>
    <message>
        <source>the address “{address}” is not an http:// or https:// URL</source>
        <translation>l’adresse « {address} » n’est pas une URL http:// ou https://</translation>
    </message>
    <message>
        <source>the file has no valid schema version</source>
        <translation>le fichier n’a pas de version de schéma valide</translation>
    </message>
    <message>
        <source>the file is not valid JSON ({reason}, line {line})</source>
        <translation>le fichier n’est pas du JSON valide ({reason}, ligne {line})</translation>
    </message>
    <message>
        <source>the file was written by a newer version of Tramontane (schema {version})</source>
        <translation>le fichier a été écrit par une version plus récente de Tramontane (schéma {version})</translation>
    </message>
    <message>
        <source>“{key}” has an unknown value “{value}”</source>
        <translation>« {key} » a une valeur inconnue « {value} »</translation>
    </message>
    <message>
        <source>“{key}” has the wrong type</source>
        <translation>« {key} » n’a pas le bon type</translation>
    </message>
    <message>
        <source>“{key}” is not an object</source>
        <translation>« {key} » n’est pas un objet</translation>
    </message>
    <message>
        <source>“{key}” is out of range ({value})</source>
        <translation>« {key} » est hors limites ({value})</translation>
    </message>
    <message>
        <source>“{key}” must list folder paths</source>
        <translation>« {key} » doit lister des chemins de dossiers</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source> pt</source>
        <translation> pt</translation>
    </message>
    <message>
        <source> tokens</source>
        <translation> jetons</translation>
    </message>
    <message>
        <source>A new language is used when Tramontane is started again.</source>
        <translation>Une nouvelle langue s’applique au prochain démarrage de Tramontane.</translation>
    </message>
    <message>
        <source>Answers</source>
        <translation>Réponses</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>Apparence</translation>
    </message>
    <message>
        <source>Ask me each time</source>
        <translation>Me demander à chaque fois</translation>
    </message>
    <message>
        <source>Automatic (as many as fit)</source>
        <translation>Automatique (autant que possible)</translation>
    </message>
    <message>
        <source>Changes to the model take effect when the model is loaded again.</source>
        <translation>Les changements du modèle prennent effet quand le modèle est rechargé.</translation>
    </message>
    <message>
        <source>Choose a model file</source>
        <translation>Choisir un fichier de modèle</translation>
    </message>
    <message>
        <source>Choose a page of settings with Ctrl+Tab</source>
        <translation>Choisissez une page de réglages avec Ctrl+Tab</translation>
    </message>
    <message>
        <source>Choose a vision projector (mmproj) file</source>
        <translation>Choisir un fichier de projecteur de vision (mmproj)</translation>
    </message>
    <message>
        <source>Computes attention faster and in less memory</source>
        <translation>Calcule l’attention plus vite et dans moins de mémoire</translation>
    </message>
    <message>
        <source>Context size</source>
        <translation>Taille du contexte</translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation>Conversations</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Sombre</translation>
    </message>
    <message>
        <source>Don&apos;t send</source>
        <translation>Ne pas envoyer</translation>
    </message>
    <message>
        <source>Downloads</source>
        <translation>Téléchargements</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>Moteur</translation>
    </message>
    <message>
        <source>Errors only</source>
        <translation>Erreurs seulement</translation>
    </message>
    <message>
        <source>Everything, for a bug report</source>
        <translation>Tout, pour un rapport de bogue</translation>
    </message>
    <message>
        <source>F16 (best quality)</source>
        <translation>F16 (meilleure qualité)</translation>
    </message>
    <message>
        <source>Flash attention</source>
        <translation>Flash attention</translation>
    </message>
    <message>
        <source>Font size</source>
        <translation>Taille du texte</translation>
    </message>
    <message>
        <source>GPU layers</source>
        <translation>Couches sur le GPU</translation>
    </message>
    <message>
        <source>How many of the model&apos;s layers run on the GPU</source>
        <translation>Combien de couches du modèle tournent sur le GPU</translation>
    </message>
    <message>
        <source>How many tokens of the conversation the model reads</source>
        <translation>Combien de jetons de la conversation le modèle lit</translation>
    </message>
    <message>
        <source>How precisely the model keeps what it has read</source>
        <translation>Avec quelle précision le modèle garde ce qu’il a lu</translation>
    </message>
    <message>
        <source>KV cache</source>
        <translation>Cache KV</translation>
    </message>
    <message>
        <source>KV cache on the GPU</source>
        <translation>Cache KV sur le GPU</translation>
    </message>
    <message>
        <source>Keeps the KV cache in the GPU&apos;s memory</source>
        <translation>Garde le cache KV dans la mémoire du GPU</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <source>Leave out the oldest messages</source>
        <translation>Laisser de côté les messages les plus anciens</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Clair</translation>
    </message>
    <message>
        <source>Light or dark colours, or those of the system</source>
        <translation>Couleurs claires ou sombres, ou celles du système</translation>
    </message>
    <message>
        <source>Log file</source>
        <translation>Journal</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <source>Model file</source>
        <translation>Fichier du modèle</translation>
    </message>
    <message>
        <source>Off: the KV cache stays in system memory, so a longer context fits beside the model, but attention runs on the CPU and answers slow down as the context fills.</source>
        <translation>Désactivé : le cache KV reste dans la mémoire système, si bien qu’un contexte plus long tient à côté du modèle, mais l’attention tourne sur le CPU et les réponses ralentissent à mesure que le contexte se remplit.</translation>
    </message>
    <message>
        <source>Q4_0 (a quarter of the memory)</source>
        <translation>Q4_0 (un quart de la mémoire)</translation>
    </message>
    <message>
        <source>Q8_0 (half the memory)</source>
        <translation>Q8_0 (moitié moins de mémoire)</translation>
    </message>
    <message>
        <source>Read ahead</source>
        <translation>Lecture anticipée</translation>
    </message>
    <message>
        <source>Read my message while I write it</source>
        <translation>Lire mon message pendant que je l’écris</translation>
    </message>
    <message>
        <source>Same as the system</source>
        <translation>Comme le système</translation>
    </message>
    <message>
        <source>Sampling</source>
        <translation>Échantillonnage</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Réglages</translation>
    </message>
    <message>
        <source>Settings pages</source>
        <translation>Pages des réglages</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>Prompt système</translation>
    </message>
    <message>
        <source>The GGUF file of the model to load</source>
        <translation>Le fichier GGUF du modèle à charger</translation>
    </message>
    <message>
        <source>The language of the window, from the next start</source>
        <translation>La langue de la fenêtre, à partir du prochain démarrage</translation>
    </message>
    <message>
        <source>The log file (Help → Open log folder) records what the program does, never what you or the model write.</source>
        <translation>Le journal (Aide → Ouvrir le dossier du journal) enregistre ce que fait le programme, jamais ce que vous ou le modèle écrivez.</translation>
    </message>
    <message>
        <source>The mmproj GGUF file that lets the model see images</source>
        <translation>Le fichier GGUF mmproj qui permet au modèle de voir les images</translation>
    </message>
    <message>
        <source>The model reads your message while you write it</source>
        <translation>Le modèle lit votre message pendant que vous l’écrivez</translation>
    </message>
    <message>
        <source>The size of the conversation&apos;s text, in points</source>
        <translation>La taille du texte de la conversation, en points</translation>
    </message>
    <message>
        <source>The system prompt and pinned messages are never left out. Messages that are left out stay in the conversation and are marked.</source>
        <translation>Le prompt système et les messages épinglés ne sont jamais laissés de côté. Les messages laissés de côté restent dans la conversation et sont signalés.</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Thème</translation>
    </message>
    <message>
        <source>Tools</source>
        <translation>Outils</translation>
    </message>
    <message>
        <source>Used for {user} in system prompts</source>
        <translation>Utilisé pour {user} dans les prompts système</translation>
    </message>
    <message>
        <source>Vision projector</source>
        <translation>Projecteur de vision</translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation>Avertissements</translation>
    </message>
    <message>
        <source>What happens when a conversation no longer fits</source>
        <translation>Ce qui se passe quand une conversation ne tient plus</translation>
    </message>
    <message>
        <source>What the program does (default)</source>
        <translation>Ce que fait le programme (par défaut)</translation>
    </message>
    <message>
        <source>When a conversation is too long</source>
        <translation>Quand une conversation est trop longue</translation>
    </message>
    <message>
        <source>When you pause typing, the model reads the message so far (and its images), so that its answer starts sooner once you send it. Takes effect at once.</source>
        <translation>Quand vous marquez une pause dans la saisie, le modèle lit le message déjà écrit (et ses images), pour que sa réponse commence plus tôt une fois le message envoyé. Prend effet immédiatement.</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>Votre nom</translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <source>  or  </source>
        <translation>  ou  </translation>
    </message>
    <message>
        <source>All actions on the message</source>
        <translation>Toutes les actions sur le message</translation>
    </message>
    <message>
        <source>Attach images, scans or documents</source>
        <translation>Joindre des images, des numérisations ou des documents</translation>
    </message>
    <message>
        <source>Back from inside the message</source>
        <translation>Ressortir du message</translation>
    </message>
    <message>
        <source>Continue an answer that was cut off</source>
        <translation>Continuer une réponse coupée</translation>
    </message>
    <message>
        <source>Copy the last answer</source>
        <translation>Copier la dernière réponse</translation>
    </message>
    <message>
        <source>Copy the message</source>
        <translation>Copier le message</translation>
    </message>
    <message>
        <source>Delete the message and what follows it</source>
        <translation>Supprimer le message et ce qui le suit</translation>
    </message>
    <message>
        <source>Edit your message</source>
        <translation>Modifier votre message</translation>
    </message>
    <message>
        <source>First message</source>
        <translation>Premier message</translation>
    </message>
    <message>
        <source>Go to the message field</source>
        <translation>Aller au champ de message</translation>
    </message>
    <message>
        <source>Into the message: Tab then moves through its parts</source>
        <translation>Entrer dans le message : Tab parcourt alors ses parties</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Raccourcis clavier</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>Nouvelle conversation</translation>
    </message>
    <message>
        <source>New line in the message</source>
        <translation>Nouvelle ligne dans le message</translation>
    </message>
    <message>
        <source>Newest message</source>
        <translation>Message le plus récent</translation>
    </message>
    <message>
        <source>Next message</source>
        <translation>Message suivant</translation>
    </message>
    <message>
        <source>Next version of the message</source>
        <translation>Version suivante du message</translation>
    </message>
    <message>
        <source>Open the message&apos;s image</source>
        <translation>Ouvrir l’image du message</translation>
    </message>
    <message>
        <source>Previous message</source>
        <translation>Message précédent</translation>
    </message>
    <message>
        <source>Previous version of the message</source>
        <translation>Version précédente du message</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
    <message>
        <source>Regenerate the answer (the last one)</source>
        <translation>Régénérer la réponse (la dernière)</translation>
    </message>
    <message>
        <source>Regenerate the last answer</source>
        <translation>Régénérer la dernière réponse</translation>
    </message>
    <message>
        <source>Search all conversations</source>
        <translation>Rechercher dans toutes les conversations</translation>
    </message>
    <message>
        <source>Send the message</source>
        <translation>Envoyer le message</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Réglages</translation>
    </message>
    <message>
        <source>Stop the answer</source>
        <translation>Arrêter la réponse</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>Conversation keys</source>
        <translation>Touches de la conversation</translation>
    </message>
    <message>
        <source>In the conversation (Tab moves from the list of conversations to the messages, then to the message field):</source>
        <translation>Dans la conversation (Tab va de la liste des conversations aux messages, puis au champ de message) :</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Raccourcis clavier</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Touches</translation>
    </message>
    <message>
        <source>Keys that act on the message that has the focus; Tab moves from the conversation list to the conversation and on to the message field</source>
        <translation>Touches qui agissent sur le message qui a le focus ; Tab va de la liste des conversations à la conversation, puis au champ de message</translation>
    </message>
    <message>
        <source>Keys that work anywhere in the window</source>
        <translation>Touches valables partout dans la fenêtre</translation>
    </message>
    <message>
        <source>Window shortcuts</source>
        <translation>Raccourcis de la fenêtre</translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <source>Conversation settings…</source>
        <translation>Réglages de la conversation…</translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation>Conversations</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <source>Export as JSON…</source>
        <translation>Exporter en JSON…</translation>
    </message>
    <message>
        <source>Export as Markdown…</source>
        <translation>Exporter en Markdown…</translation>
    </message>
    <message>
        <source>Messages that match the search; Enter opens one</source>
        <translation>Messages correspondant à la recherche ; Entrée en ouvre un</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>Nouvelle conversation</translation>
    </message>
    <message>
        <source>New chat (Ctrl+N)</source>
        <translation>Nouvelle conversation (Ctrl+N)</translation>
    </message>
    <message>
        <source>No conversations yet.</source>
        <translation>Aucune conversation pour l’instant.</translation>
    </message>
    <message>
        <source>No message contains “{query}”.</source>
        <translation>Aucun message ne contient « {query} ».</translation>
    </message>
    <message>
        <source>Pin to the top</source>
        <translation>Épingler en haut</translation>
    </message>
    <message>
        <source>Pinned conversations first, then the newest; Enter opens one, F2 renames it, Delete deletes it, the context menu key shows more</source>
        <translation>Les conversations épinglées d’abord, puis les plus récentes ; Entrée en ouvre une, F2 la renomme, Suppr la supprime, la touche de menu contextuel en montre plus</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>Renommer…</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Rechercher</translation>
    </message>
    <message>
        <source>Search all messages</source>
        <translation>Rechercher dans tous les messages</translation>
    </message>
    <message>
        <source>Search results</source>
        <translation>Résultats de la recherche</translation>
    </message>
    <message>
        <source>Searches the messages of every conversation; Down goes to the results, Esc clears the search</source>
        <translation>Cherche dans les messages de toutes les conversations ; Bas va aux résultats, Échap efface la recherche</translation>
    </message>
    <message>
        <source>Starts a new conversation (Ctrl+N)</source>
        <translation>Commence une nouvelle conversation (Ctrl+N)</translation>
    </message>
    <message>
        <source>Unpin</source>
        <translation>Désépingler</translation>
    </message>
</context>
<context>
    <name>SnapshotBridge</name>
    <message>
        <source>Conversation restored from disk: {done} of {total} tokens.</source>
        <translation>Conversation restaurée depuis le disque : {done} jetons sur {total}.</translation>
    </message>
    <message>
        <source>Reading the conversation: {done} of {total} tokens (Stop cancels).</source>
        <translation>Lecture de la conversation : {done} jetons sur {total} (Arrêter annule).</translation>
    </message>
    <message>
        <source>Reading the conversation: {done} of {total} tokens, about {duration} left (Stop cancels).</source>
        <translation>Lecture de la conversation : {done} jetons sur {total}, environ {duration} restantes (Arrêter annule).</translation>
    </message>
    <message>
        <source>Reading the conversation: {done} of {total} tokens.</source>
        <translation>Lecture de la conversation : {done} jetons sur {total}.</translation>
    </message>
    <message>
        <source>{minutes} min {seconds} s</source>
        <translation>{minutes} min {seconds} s</translation>
    </message>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} s</translation>
    </message>
</context>
<context>
    <name>SnapshotKeeper</name>
    <message>
        <source>Conversations are no longer saved for quick reopening: the disk is full or the data folder cannot be written. They are read again when opened; free some space or lower the snapshot budget in Settings → Model.</source>
        <translation>Les conversations ne sont plus enregistrées pour être rouvertes rapidement : le disque est plein ou le dossier de données n’est pas accessible en écriture. Elles sont relues à l’ouverture ; libérez de l’espace ou réduisez le budget des instantanés dans Réglages → Modèle.</translation>
    </message>
</context>
<context>
    <name>SnapshotSettingsBox</name>
    <message>
        <source> GB</source>
        <translation> Go</translation>
    </message>
    <message>
        <source>Delete all</source>
        <translation>Tout supprimer</translation>
    </message>
    <message>
        <source>Delete all saved conversations</source>
        <translation>Supprimer toutes les conversations enregistrées</translation>
    </message>
    <message>
        <source>Deletes what is saved for quick reopening; the conversations themselves stay</source>
        <translation>Supprime ce qui est enregistré pour la réouverture rapide ; les conversations elles-mêmes restent</translation>
    </message>
    <message>
        <source>Disk space at most</source>
        <translation>Espace disque maximal</translation>
    </message>
    <message>
        <source>In use</source>
        <translation>Utilisé</translation>
    </message>
    <message>
        <source>Keep conversations ready on disk</source>
        <translation>Garder les conversations prêtes sur le disque</translation>
    </message>
    <message>
        <source>No conversation is saved.</source>
        <translation>Aucune conversation n’est enregistrée.</translation>
    </message>
    <message>
        <source>Quick reopening</source>
        <translation>Réouverture rapide</translation>
    </message>
    <message>
        <source>The least recently used conversations are removed beyond this.</source>
        <translation>Au-delà, les conversations utilisées le moins récemment sont supprimées.</translation>
    </message>
    <message>
        <source>When the model leaves a conversation (another one is used, the model is reloaded, Tramontane quits), what it has read of it is saved in the data folder. Going back to it then reads only the new messages instead of the whole conversation.</source>
        <translation>Quand le modèle quitte une conversation (une autre est utilisée, le modèle est rechargé, Tramontane se ferme), ce qu’il en a lu est enregistré dans le dossier de données. Y revenir ne relit alors que les nouveaux messages au lieu de toute la conversation.</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <source>API: answering</source>
        <translation>API : réponse en cours</translation>
    </message>
    <message>
        <source>CPU only</source>
        <translation>CPU seul</translation>
    </message>
    <message>
        <source>Choose a model</source>
        <translation>Choisir un modèle</translation>
    </message>
    <message>
        <source>Click to switch to another quant or context size</source>
        <translation>Cliquez pour passer à une autre quantification ou taille de contexte</translation>
    </message>
    <message>
        <source>Context used</source>
        <translation>Contexte utilisé</translation>
    </message>
    <message>
        <source>Context {n_ctx} tokens (trained {n_ctx_train})</source>
        <translation>Contexte de {n_ctx} jetons (entraîné sur {n_ctx_train})</translation>
    </message>
    <message>
        <source>Estimated until counted by the model.</source>
        <translation>Estimation en attendant le compte du modèle.</translation>
    </message>
    <message>
        <source>Generation speed of the last answer</source>
        <translation>Vitesse de génération de la dernière réponse</translation>
    </message>
    <message>
        <source>Loading {model}…</source>
        <translation>Chargement de {model}…</translation>
    </message>
    <message>
        <source>Memory {gib} GiB</source>
        <translation>Mémoire {gib} Gio</translation>
    </message>
    <message>
        <source>Model: {model}</source>
        <translation>Modèle : {model}</translation>
    </message>
    <message>
        <source>No GPU is used: answers will be slow</source>
        <translation>Aucun GPU n’est utilisé : les réponses seront lentes</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>Aucun modèle chargé</translation>
    </message>
    <message>
        <source>Opens the choice of another model, quant or context size</source>
        <translation>Ouvre le choix d’un autre modèle, d’une autre quantification ou taille de contexte</translation>
    </message>
    <message>
        <source>Requests to the local API: they wait for the window&apos;s answers</source>
        <translation>Requêtes à l’API locale : elles attendent les réponses de la fenêtre</translation>
    </message>
    <message>
        <source>Running on the CPU</source>
        <translation>Exécution sur le CPU</translation>
    </message>
    <message>
        <source>Running on {backend}</source>
        <translation>Exécution sur {backend}</translation>
    </message>
    <message>
        <source>Tokens the conversation takes in the context window, counting the system prompt, tools and images</source>
        <translation>Jetons que la conversation occupe dans la fenêtre de contexte, invite système, outils et images compris</translation>
    </message>
    <message>
        <source>{backend} · KV cache in system memory</source>
        <translation>{backend} · cache KV en mémoire système</translation>
    </message>
    <message>
        <source>{backend} · {offload}, {cost}</source>
        <translation>{backend} · {offload}, {cost}</translation>
    </message>
    <message>
        <source>{on_gpu}/{layers} layers on the GPU</source>
        <translation>{on_gpu}/{layers} couches sur le GPU</translation>
    </message>
    <message>
        <source>{speed} tokens/s</source>
        <translation>{speed} jetons/s</translation>
    </message>
    <message>
        <source>{used} / {n_ctx} tokens</source>
        <translation>{used} / {n_ctx} jetons</translation>
    </message>
    <message>
        <source>≈ {used} / {n_ctx} tokens</source>
        <translation>≈ {used} / {n_ctx} jetons</translation>
    </message>
</context>
<context>
    <name>StoreError</name>
    <message>
        <source>The attachment could not be saved: {reason}.</source>
        <translation>La pièce jointe n’a pas pu être enregistrée : {reason}.</translation>
    </message>
    <message>
        <source>The attachment {path} could not be read: {reason}.</source>
        <translation>La pièce jointe {path} n’a pas pu être lue : {reason}.</translation>
    </message>
    <message>
        <source>The conversation database could not be read or written (a disk error). Check the disk; what was saved before is kept.</source>
        <translation>La base des conversations n’a pas pu être lue ou écrite (erreur de disque). Vérifiez le disque ; ce qui était déjà enregistré est conservé.</translation>
    </message>
    <message>
        <source>The conversation database is damaged and could not be moved aside: {reason}.</source>
        <translation>La base des conversations est endommagée et n’a pas pu être mise de côté : {reason}.</translation>
    </message>
    <message>
        <source>The conversation database is damaged. Restart Tramontane: it keeps the damaged file aside and starts a new one.</source>
        <translation>La base des conversations est endommagée. Redémarrez Tramontane : il mettra le fichier endommagé de côté et en créera un nouveau.</translation>
    </message>
    <message>
        <source>The conversation database is in use by another program. Close it and try again.</source>
        <translation>La base des conversations est utilisée par un autre programme. Fermez-le et réessayez.</translation>
    </message>
    <message>
        <source>The conversation database was written by a newer Tramontane (schema {version}; this one knows up to {known}). Update Tramontane to open it; the file was left untouched.</source>
        <translation>La base des conversations a été écrite par une version plus récente de Tramontane (schéma {version} ; celle-ci connaît jusqu’au {known}). Mettez Tramontane à jour pour l’ouvrir ; le fichier n’a pas été modifié.</translation>
    </message>
    <message>
        <source>The conversation database {path} cannot be read: {reason}.</source>
        <translation>La base des conversations {path} est illisible : {reason}.</translation>
    </message>
    <message>
        <source>The disk is full: Tramontane could not save the conversation. Free some space; what was saved before is kept.</source>
        <translation>Le disque est plein : Tramontane n’a pas pu enregistrer la conversation. Libérez de l’espace ; ce qui était déjà enregistré est conservé.</translation>
    </message>
    <message>
        <source>The disk is full: the attachment could not be saved.</source>
        <translation>Le disque est plein : la pièce jointe n’a pas pu être enregistrée.</translation>
    </message>
    <message>
        <source>The export could not be written to {path}: {reason}.</source>
        <translation>L’export n’a pas pu être écrit dans {path} : {reason}.</translation>
    </message>
    <message>
        <source>Tramontane cannot create its data folder {folder}: {reason}.</source>
        <translation>Tramontane ne peut pas créer son dossier de données {folder} : {reason}.</translation>
    </message>
    <message>
        <source>Tramontane cannot create its data folder: {reason}.</source>
        <translation>Tramontane ne peut pas créer son dossier de données : {reason}.</translation>
    </message>
    <message>
        <source>Tramontane cannot write in its data folder {folder}: {reason}. Check the folder&apos;s permissions.</source>
        <translation>Tramontane ne peut pas écrire dans son dossier de données {folder} : {reason}. Vérifiez les permissions du dossier.</translation>
    </message>
    <message>
        <source>Tramontane cannot write its conversation database: the data folder or the file is read-only. Check its permissions.</source>
        <translation>Tramontane ne peut pas écrire dans sa base des conversations : le dossier de données ou le fichier est en lecture seule. Vérifiez ses permissions.</translation>
    </message>
    <message>
        <source>Tramontane is already running. Switch to its window, or close it first.</source>
        <translation>Tramontane est déjà ouvert. Passez à sa fenêtre, ou fermez-le d’abord.</translation>
    </message>
    <message>
        <source>{name} could not be read: {reason}.</source>
        <translation>{name} n’a pas pu être lu : {reason}.</translation>
    </message>
    <message>
        <source>{name} is not a Tramontane conversation export (or it is damaged): {reason}.</source>
        <translation>{name} n’est pas un export de conversations de Tramontane (ou il est endommagé) : {reason}.</translation>
    </message>
    <message>
        <source>{name} is not a Tramontane conversation export.</source>
        <translation>{name} n’est pas un export de conversations de Tramontane.</translation>
    </message>
    <message>
        <source>{name} was written by a newer Tramontane; update to import it.</source>
        <translation>{name} a été écrit par une version plus récente de Tramontane ; mettez Tramontane à jour pour l’importer.</translation>
    </message>
</context>
<context>
    <name>StoreWrites</name>
    <message>
        <source>The conversation could not be read: {reason}</source>
        <translation>La conversation n’a pas pu être lue : {reason}</translation>
    </message>
    <message>
        <source>The conversation could not be saved: {reason}</source>
        <translation>La conversation n’a pas pu être enregistrée : {reason}</translation>
    </message>
</context>
<context>
    <name>SwitchModelDialog</name>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Context</source>
        <translation>Contexte</translation>
    </message>
    <message>
        <source>F16 (best quality)</source>
        <translation>F16 (meilleure qualité)</translation>
    </message>
    <message>
        <source>How many tokens of the conversation the model holds</source>
        <translation>Combien de jetons de la conversation le modèle peut contenir</translation>
    </message>
    <message>
        <source>How precisely the model keeps what it has read</source>
        <translation>La précision avec laquelle le modèle garde ce qu’il a lu</translation>
    </message>
    <message>
        <source>KV cache</source>
        <translation>Cache KV</translation>
    </message>
    <message>
        <source>Keeps the model as it is</source>
        <translation>Garde le modèle tel quel</translation>
    </message>
    <message>
        <source>Looking at the models on this computer…</source>
        <translation>Examen des modèles de cet ordinateur…</translation>
    </message>
    <message>
        <source>Models on this computer</source>
        <translation>Modèles sur cet ordinateur</translation>
    </message>
    <message>
        <source>Models on this computer:</source>
        <translation>Modèles sur cet ordinateur :</translation>
    </message>
    <message>
        <source>No model file is on this computer yet: download one in the Models window.</source>
        <translation>Aucun fichier de modèle sur cet ordinateur pour l’instant : téléchargez-en un dans la fenêtre Modèles.</translation>
    </message>
    <message>
        <source>Q4_0 (a quarter of the memory)</source>
        <translation>Q4_0 (quatre fois moins de mémoire)</translation>
    </message>
    <message>
        <source>Q8_0 (half the memory)</source>
        <translation>Q8_0 (moitié moins de mémoire)</translation>
    </message>
    <message>
        <source>Restarts the engine with the chosen model and context</source>
        <translation>Redémarre le moteur avec le modèle et le contexte choisis</translation>
    </message>
    <message>
        <source>Switch</source>
        <translation>Changer</translation>
    </message>
    <message>
        <source>Switch model or context</source>
        <translation>Changer de modèle ou de contexte</translation>
    </message>
    <message>
        <source>The engine restarts with the new setting; the conversation goes on where it is.</source>
        <translation>Le moteur redémarre avec le nouveau réglage ; la conversation reprend là où elle en est.</translation>
    </message>
    <message>
        <source>The model file to load, with its size and place</source>
        <translation>Le fichier de modèle à charger, avec sa taille et son emplacement</translation>
    </message>
    <message>
        <source>{file}  ·  loaded</source>
        <translation>{file}  ·  chargé</translation>
    </message>
    <message>
        <source>{label} tokens ({tokens})</source>
        <translation>{label} jetons ({tokens})</translation>
    </message>
</context>
<context>
    <name>SystemPromptForm</name>
    <message>
        <source>My own system prompt</source>
        <translation>Mon propre prompt système</translation>
    </message>
    <message>
        <source>My own system prompt:</source>
        <translation>Mon propre prompt système :</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>Prompt système</translation>
    </message>
    <message>
        <source>The model&apos;s own system prompt</source>
        <translation>Le prompt système du modèle</translation>
    </message>
    <message>
        <source>The model&apos;s own system prompt, dated today</source>
        <translation>Le prompt système du modèle, daté d’aujourd’hui</translation>
    </message>
    <message>
        <source>Uses the system prompt the model comes with</source>
        <translation>Utilise le prompt système fourni avec le modèle</translation>
    </message>
    <message>
        <source>Uses the text below as the system prompt</source>
        <translation>Utilise le texte ci-dessous comme prompt système</translation>
    </message>
    <message>
        <source>You are a helpful assistant…</source>
        <translation>Tu es un assistant serviable…</translation>
    </message>
    <message>
        <source>{name} is the model&apos;s name, {user} yours, {today} and {yesterday} are dates.</source>
        <translation>{name} est le nom du modèle, {user} le vôtre, {today} et {yesterday} sont des dates.</translation>
    </message>
</context>
<context>
    <name>TextLinesDialog</name>
    <message>
        <source>Attach {file}</source>
        <translation>Joindre {file}</translation>
    </message>
    <message>
        <source>From line</source>
        <translation>De la ligne</translation>
    </message>
    <message>
        <source>The first line comes after the last.</source>
        <translation>La première ligne vient après la dernière.</translation>
    </message>
    <message>
        <source>The first line of the file that goes in</source>
        <translation>La première ligne du fichier qui entre</translation>
    </message>
    <message>
        <source>The last line of the file that goes in</source>
        <translation>La dernière ligne du fichier qui entre</translation>
    </message>
    <message>
        <source>To line</source>
        <translation>À la ligne</translation>
    </message>
    <message>
        <source>{file}: {lines} lines, {encoding}.</source>
        <translation>{file} : {lines} lignes, {encoding}.</translation>
    </message>
</context>
<context>
    <name>ToolApprovalBar</name>
    <message>
        <source>Arguments</source>
        <translation>Arguments</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Does not run the tool; the model is told it was skipped</source>
        <translation>N’exécute pas l’outil ; le modèle apprend qu’il a été passé</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Exécuter</translation>
    </message>
    <message>
        <source>Running {tool}…</source>
        <translation>Exécution de {tool}…</translation>
    </message>
    <message>
        <source>Runs the tool with these arguments</source>
        <translation>Exécute l’outil avec ces arguments</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>Passer</translation>
    </message>
    <message>
        <source>Stops the tool while it runs</source>
        <translation>Arrête l’outil pendant qu’il s’exécute</translation>
    </message>
    <message>
        <source>The arguments the tool gets; you may change them before Run</source>
        <translation>Les arguments que reçoit l’outil ; vous pouvez les modifier avant Exécuter</translation>
    </message>
    <message>
        <source>The model wants to run {tool} ({plugin})</source>
        <translation>Le modèle veut exécuter {tool} ({plugin})</translation>
    </message>
</context>
<context>
    <name>ToolCatalog</name>
    <message>
        <source>failed to load: {error}</source>
        <translation>échec du chargement : {error}</translation>
    </message>
    <message>
        <source>has no TOOLS list naming its functions</source>
        <translation>n’a pas de liste TOOLS nommant ses fonctions</translation>
    </message>
    <message>
        <source>offers no function or list of functions</source>
        <translation>ne propose aucune fonction ni liste de fonctions</translation>
    </message>
    <message>
        <source>{problem}; this tool is skipped</source>
        <translation>{problem} ; cet outil est ignoré</translation>
    </message>
    <message>
        <source>{tool} is already offered by {first}; this one is skipped</source>
        <translation>{tool} est déjà proposé par {first} ; celui-ci est ignoré</translation>
    </message>
</context>
<context>
    <name>ToolRound</name>
    <message>
        <source>A tool call of the model could not be read: {problem}.</source>
        <translation>Un appel d’outil du modèle n’a pas pu être lu : {problem}.</translation>
    </message>
    <message>
        <source>The result of {tool} was cut to fit the context ({characters} characters).</source>
        <translation>Le résultat de {tool} a été coupé pour tenir dans le contexte ({characters} caractères).</translation>
    </message>
    <message>
        <source>The tool results were saved; the model did not go on because another conversation is open.</source>
        <translation>Les résultats des outils ont été enregistrés ; le modèle n’a pas continué parce qu’une autre conversation est ouverte.</translation>
    </message>
</context>
<context>
    <name>ToolsPage</name>
    <message>
        <source> rounds</source>
        <translation> tours</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>A call may run for</source>
        <translation>Un appel peut durer</translation>
    </message>
    <message>
        <source>Always run</source>
        <translation>Toujours exécuter</translation>
    </message>
    <message>
        <source>Ask each time</source>
        <translation>Demander à chaque fois</translation>
    </message>
    <message>
        <source>Ask each time, always run, or never offer {tool}</source>
        <translation>Demander à chaque fois, toujours exécuter ou ne jamais proposer {tool}</translation>
    </message>
    <message>
        <source>Calls in a row, at most</source>
        <translation>Appels d’affilée, au plus</translation>
    </message>
    <message>
        <source>Each plugin that failed, with why</source>
        <translation>Chaque extension en échec, avec la raison</translation>
    </message>
    <message>
        <source>Each tool with its plugin and when it runs</source>
        <translation>Chaque outil avec son extension et quand il s’exécute</translation>
    </message>
    <message>
        <source>File tools read only inside these folders</source>
        <translation>Les outils de fichiers ne lisent que dans ces dossiers</translation>
    </message>
    <message>
        <source>Folders file tools may read</source>
        <translation>Dossiers que les outils de fichiers peuvent lire</translation>
    </message>
    <message>
        <source>How many rounds of tool calls one answer may make</source>
        <translation>Combien de tours d’appels d’outils une réponse peut faire</translation>
    </message>
    <message>
        <source>Let the model call tools</source>
        <translation>Laisser le modèle appeler des outils</translation>
    </message>
    <message>
        <source>MCP servers:</source>
        <translation>Serveurs MCP :</translation>
    </message>
    <message>
        <source>Never (not offered)</source>
        <translation>Jamais (non proposé)</translation>
    </message>
    <message>
        <source>Offers the tools below to the model in every conversation</source>
        <translation>Propose les outils ci-dessous au modèle dans chaque conversation</translation>
    </message>
    <message>
        <source>Plugin</source>
        <translation>Extension</translation>
    </message>
    <message>
        <source>Plugins are Python files in {plugins} or installed packages; MCP servers are listed in {mcp_file}. See the user guide. With tools on, each follow-up also re-reads the list of tools.</source>
        <translation>Les extensions sont des fichiers Python dans {plugins} ou des paquets installés ; les serveurs MCP sont listés dans {mcp_file}. Voir le guide de l’utilisateur. Avec les outils activés, chaque relance relit aussi la liste des outils.</translation>
    </message>
    <message>
        <source>Plugins that could not be loaded</source>
        <translation>Extensions qui n’ont pas pu être chargées</translation>
    </message>
    <message>
        <source>Plugins that could not be loaded:</source>
        <translation>Extensions qui n’ont pas pu être chargées :</translation>
    </message>
    <message>
        <source>Seconds a tool call may run before it is stopped</source>
        <translation>Secondes pendant lesquelles un appel d’outil peut s’exécuter avant d’être arrêté</translation>
    </message>
    <message>
        <source>Tool</source>
        <translation>Outil</translation>
    </message>
    <message>
        <source>Tools</source>
        <translation>Outils</translation>
    </message>
    <message>
        <source>When the model calls it</source>
        <translation>Quand le modèle l’appelle</translation>
    </message>
    <message>
        <source>When the model calls {tool}</source>
        <translation>Quand le modèle appelle {tool}</translation>
    </message>
</context>
<context>
    <name>TurnRunner</name>
    <message>
        <source>Not sent: the conversation is too long for the context window. Your message is kept; regenerate ({keys}) once there is room.</source>
        <translation>Non envoyé : la conversation est trop longue pour la fenêtre de contexte. Votre message est conservé ; régénérez ({keys}) quand il y aura de la place.</translation>
    </message>
    <message>
        <source>Not sent: the model is no longer ready. Your message is kept; regenerate ({keys}) once a model is loaded.</source>
        <translation>Non envoyé : le modèle n’est plus prêt. Votre message est conservé ; régénérez ({keys}) une fois un modèle chargé.</translation>
    </message>
</context>
<context>
    <name>UndoBar</name>
    <message>
        <source>Undo</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Undoes what was just done</source>
        <translation>Annule ce qui vient d’être fait</translation>
    </message>
</context>
<context>
    <name>Validation</name>
    <message>
        <source>A context of {tokens} tokens is not possible: this model was trained for {trained} tokens at most.</source>
        <translation>Un contexte de {tokens} jetons est impossible : ce modèle a été entraîné pour {trained} jetons au plus.</translation>
    </message>
    <message>
        <source>The model file {path} does not exist.</source>
        <translation>Le fichier de modèle {path} n’existe pas.</translation>
    </message>
    <message>
        <source>The vision projector {name} cannot be used: {reason}.</source>
        <translation>Le projecteur de vision {name} est inutilisable : {reason}.</translation>
    </message>
    <message>
        <source>{name} cannot be read: {reason}.</source>
        <translation>{name} est illisible : {reason}.</translation>
    </message>
    <message>
        <source>{name} holds no weights: it is not a usable model file.</source>
        <translation>{name} ne contient aucun poids : ce n’est pas un fichier de modèle utilisable.</translation>
    </message>
    <message>
        <source>{name} is a &apos;{architecture}&apos; model; Tramontane runs Mistral Small 3.2 ({supported} GGUF files).</source>
        <translation>{name} est un modèle « {architecture} » ; Tramontane fait tourner Mistral Small 3.2 (fichiers GGUF {supported}).</translation>
    </message>
    <message>
        <source>{name} is damaged and was not loaded: {reason}.</source>
        <translation>{name} est endommagé et n’a pas été chargé : {reason}.</translation>
    </message>
    <message>
        <source>{name} is incomplete: {reason}.</source>
        <translation>{name} est incomplet : {reason}.</translation>
    </message>
    <message>
        <source>{name} is not a usable GGUF model: {reason}.</source>
        <translation>{name} n’est pas un modèle GGUF utilisable : {reason}.</translation>
    </message>
    <message>
        <source>{name} is not a vision projector (mmproj) file; it is a &apos;{architecture}&apos; file.</source>
        <translation>{name} n’est pas un fichier de projecteur de vision (mmproj) ; c’est un fichier « {architecture} ».</translation>
    </message>
    <message>
        <source>{name} names no architecture; Tramontane runs Mistral Small 3.2 ({supported} GGUF files).</source>
        <translation>{name} n’indique aucune architecture ; Tramontane fait tourner Mistral Small 3.2 (fichiers GGUF {supported}).</translation>
    </message>
</context>
<context>
    <name>VisionEncoder</name>
    <message>
        <source>the image could not be encoded (mtmd returned {status})</source>
        <translation>l’image n’a pas pu être encodée (mtmd a renvoyé {status})</translation>
    </message>
    <message>
        <source>the image could not be prepared (mtmd returned {status})</source>
        <translation>l’image n’a pas pu être préparée (mtmd a renvoyé {status})</translation>
    </message>
    <message>
        <source>the image file {name} is missing</source>
        <translation>le fichier image {name} est introuvable</translation>
    </message>
    <message>
        <source>the image {name} cannot be read: {reason}</source>
        <translation>l’image {name} ne peut pas être lue : {reason}</translation>
    </message>
    <message>
        <source>the projector made no image tokens for the image</source>
        <translation>le projecteur n’a produit aucun jeton d’image pour l’image</translation>
    </message>
    <message>
        <source>the vision projector was closed</source>
        <translation>le projecteur de vision a été fermé</translation>
    </message>
</context>
<context>
    <name>WelcomeView</name>
    <message>
        <source>A copy is already on disk ({source}): {path}.</source>
        <translation>Une copie est déjà sur le disque ({source}) : {path}.</translation>
    </message>
    <message>
        <source>Also download the vision projector</source>
        <translation>Télécharger aussi le projecteur de vision</translation>
    </message>
    <message>
        <source>Also download the vision projector (for images)</source>
        <translation>Télécharger aussi le projecteur de vision (pour les images)</translation>
    </message>
    <message>
        <source>Also download the vision projector for images ({size})</source>
        <translation>Télécharger aussi le projecteur de vision pour les images ({size})</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Cancel the download</source>
        <translation>Annuler le téléchargement</translation>
    </message>
    <message>
        <source>Choose another quant</source>
        <translation>Choisir une autre quantification</translation>
    </message>
    <message>
        <source>Choose another quant…</source>
        <translation>Choisir une autre quantification…</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Télécharger</translation>
    </message>
    <message>
        <source>Download {what} and start</source>
        <translation>Télécharger {what} et commencer</translation>
    </message>
    <message>
        <source>Downloads the file that lets the model see images</source>
        <translation>Télécharge le fichier qui permet au modèle de voir les images</translation>
    </message>
    <message>
        <source>Downloads the recommended quant, or uses the copy on disk, and loads it</source>
        <translation>Télécharge la quantification recommandée, ou utilise la copie sur le disque, et la charge</translation>
    </message>
    <message>
        <source>Loads a GGUF model file you already have</source>
        <translation>Charge un fichier de modèle GGUF que vous avez déjà</translation>
    </message>
    <message>
        <source>Looking at this computer…</source>
        <translation>Examen de cet ordinateur…</translation>
    </message>
    <message>
        <source>No quant of the model fits this computer&apos;s memory. Choose another quant to see what each one needs, or open a GGUF file you already have.</source>
        <translation>Aucune quantification du modèle ne tient dans la mémoire de cet ordinateur. Choisissez une autre quantification pour voir ce qu’il faut à chacune, ou ouvrez un fichier GGUF que vous avez déjà.</translation>
    </message>
    <message>
        <source>Open a GGUF file</source>
        <translation>Ouvrir un fichier GGUF</translation>
    </message>
    <message>
        <source>Open a GGUF file…</source>
        <translation>Ouvrir un fichier GGUF…</translation>
    </message>
    <message>
        <source>Opens the Models window with every quant of the model</source>
        <translation>Ouvre la fenêtre Modèles avec toutes les quantifications du modèle</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>Pause or resume</source>
        <translation>Mettre en pause ou reprendre</translation>
    </message>
    <message>
        <source>Pauses the download, or resumes it where it stopped</source>
        <translation>Met le téléchargement en pause, ou le reprend là où il s’était arrêté</translation>
    </message>
    <message>
        <source>Recommended: {proposal}</source>
        <translation>Recommandé : {proposal}</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Reprendre</translation>
    </message>
    <message>
        <source>Start with {quant}</source>
        <translation>Commencer avec {quant}</translation>
    </message>
    <message>
        <source>Starting the download of {what}…</source>
        <translation>Début du téléchargement de {what}…</translation>
    </message>
    <message>
        <source>Stops the download</source>
        <translation>Arrête le téléchargement</translation>
    </message>
    <message>
        <source>The download stopped; what was downloaded is kept.</source>
        <translation>Le téléchargement s’est arrêté ; ce qui a été téléchargé est conservé.</translation>
    </message>
    <message>
        <source>The model will run on {device}.</source>
        <translation>Le modèle tournera sur {device}.</translation>
    </message>
    <message>
        <source>The way to {context} of history on this Mac:</source>
        <translation>Le chemin vers {context} d’historique sur ce Mac :</translation>
    </message>
    <message>
        <source>Tramontane chats with Mistral Small 3.2 24B on this computer, with no network once the model is here. Pick how much of the model to download:</source>
        <translation>Tramontane discute avec Mistral Small 3.2 24B sur cet ordinateur, sans réseau une fois le modèle installé. Choisissez quelle part du modèle télécharger :</translation>
    </message>
    <message>
        <source>Welcome to Tramontane</source>
        <translation>Bienvenue dans Tramontane</translation>
    </message>
    <message>
        <source>{summary} Loading it…</source>
        <translation>{summary} Chargement…</translation>
    </message>
    <message>
        <source>{summary} To load it, press Start.</source>
        <translation>{summary} Pour le charger, appuyez sur Commencer.</translation>
    </message>
</context>
<context>
    <name>WindowActions</name>
    <message>
        <source>&amp;About Tramontane</source>
        <translation>À &amp;propos de Tramontane</translation>
    </message>
    <message>
        <source>&amp;Attach images, scans or documents…</source>
        <translation>&amp;Joindre des images, des numérisations ou des documents…</translation>
    </message>
    <message>
        <source>&amp;Chat</source>
        <translation>&amp;Conversation</translation>
    </message>
    <message>
        <source>&amp;Copy last answer</source>
        <translation>&amp;Copier la dernière réponse</translation>
    </message>
    <message>
        <source>&amp;Export all conversations…</source>
        <translation>&amp;Exporter toutes les conversations…</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;Go to the message field</source>
        <translation>Aller au champ du &amp;message</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Aide</translation>
    </message>
    <message>
        <source>&amp;Import conversations from JSON…</source>
        <translation>&amp;Importer des conversations depuis un fichier JSON…</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Raccourcis clavier</translation>
    </message>
    <message>
        <source>&amp;Load model…</source>
        <translation>&amp;Charger un modèle…</translation>
    </message>
    <message>
        <source>&amp;Models…</source>
        <translation>&amp;Modèles…</translation>
    </message>
    <message>
        <source>&amp;New chat</source>
        <translation>&amp;Nouvelle conversation</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>&amp;Regenerate answer</source>
        <translation>&amp;Régénérer la réponse</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Réglages…</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>&amp;Arrêter</translation>
    </message>
    <message>
        <source>Adds the conversations of an exported JSON file</source>
        <translation>Ajoute les conversations d’un fichier JSON exporté</translation>
    </message>
    <message>
        <source>C&amp;ontinue answer</source>
        <translation>C&amp;ontinuer la réponse</translation>
    </message>
    <message>
        <source>Chooses files to send with the next message</source>
        <translation>Choisit des fichiers à envoyer avec le prochain message</translation>
    </message>
    <message>
        <source>Closes Tramontane; conversations are saved</source>
        <translation>Ferme Tramontane ; les conversations sont enregistrées</translation>
    </message>
    <message>
        <source>Co&amp;nversation settings…</source>
        <translation>Réglages de la con&amp;versation…</translation>
    </message>
    <message>
        <source>Copies the last answer to the clipboard</source>
        <translation>Copie la dernière réponse dans le presse-papiers</translation>
    </message>
    <message>
        <source>Export conversation as &amp;JSON…</source>
        <translation>Exporter la conversation en &amp;JSON…</translation>
    </message>
    <message>
        <source>Export conversation as Mar&amp;kdown…</source>
        <translation>Exporter la conversation en Mar&amp;kdown…</translation>
    </message>
    <message>
        <source>Goes on with an answer that was cut off</source>
        <translation>Poursuit une réponse qui a été coupée</translation>
    </message>
    <message>
        <source>Goes to the search field of the sidebar</source>
        <translation>Va au champ de recherche de la barre latérale</translation>
    </message>
    <message>
        <source>Let the model call &amp;tools</source>
        <translation>Laisser le modèle appeler des ou&amp;tils</translation>
    </message>
    <message>
        <source>Lists the keys of every command</source>
        <translation>Liste les touches de chaque commande</translation>
    </message>
    <message>
        <source>Loads a GGUF model file from this computer</source>
        <translation>Charge un fichier de modèle GGUF de cet ordinateur</translation>
    </message>
    <message>
        <source>Loads another downloaded quantization or another context size</source>
        <translation>Charge une autre quantification téléchargée ou une autre taille de contexte</translation>
    </message>
    <message>
        <source>Moves the keyboard focus to the field you write in</source>
        <translation>Place le focus du clavier dans le champ où vous écrivez</translation>
    </message>
    <message>
        <source>Offers the tools to the model in every conversation</source>
        <translation>Propose les outils au modèle dans chaque conversation</translation>
    </message>
    <message>
        <source>Open &amp;log folder</source>
        <translation>Ouvrir le dossier du &amp;journal</translation>
    </message>
    <message>
        <source>Opens the models to download, load or delete</source>
        <translation>Ouvre les modèles à télécharger, charger ou supprimer</translation>
    </message>
    <message>
        <source>Opens the settings of the model, the answers and the app</source>
        <translation>Ouvre les réglages du modèle, des réponses et de l’application</translation>
    </message>
    <message>
        <source>Opens the settings of the open conversation only</source>
        <translation>Ouvre les réglages de la conversation ouverte seulement</translation>
    </message>
    <message>
        <source>Restart &amp;engine</source>
        <translation>Redémarrer le mot&amp;eur</translation>
    </message>
    <message>
        <source>S&amp;witch model or context…</source>
        <translation>Changer de modèle ou de conte&amp;xte…</translation>
    </message>
    <message>
        <source>Saves every conversation in one JSON file</source>
        <translation>Enregistre toutes les conversations dans un seul fichier JSON</translation>
    </message>
    <message>
        <source>Saves the open conversation as a JSON file</source>
        <translation>Enregistre la conversation ouverte dans un fichier JSON</translation>
    </message>
    <message>
        <source>Saves the open conversation as a Markdown file</source>
        <translation>Enregistre la conversation ouverte dans un fichier Markdown</translation>
    </message>
    <message>
        <source>Searc&amp;h conversations</source>
        <translation>Rec&amp;hercher dans les conversations</translation>
    </message>
    <message>
        <source>Shows the folder of the program&apos;s log, to attach to a report</source>
        <translation>Montre le dossier du journal du programme, à joindre à un rapport</translation>
    </message>
    <message>
        <source>Shows the version and the licenses of what Tramontane is made of</source>
        <translation>Montre la version et les licences de ce qui compose Tramontane</translation>
    </message>
    <message>
        <source>Starts an empty conversation</source>
        <translation>Commence une conversation vide</translation>
    </message>
    <message>
        <source>Starts the engine again with the same model</source>
        <translation>Redémarre le moteur avec le même modèle</translation>
    </message>
    <message>
        <source>Stops the answer being written; what it wrote stays</source>
        <translation>Arrête la réponse en cours ; ce qui est déjà écrit reste</translation>
    </message>
    <message>
        <source>Writes the last answer again; the old one is kept</source>
        <translation>Écrit de nouveau la dernière réponse ; l’ancienne est conservée</translation>
    </message>
</context>
<context>
    <name>Workspace</name>
    <message>
        <source>The local API could not start on {host}:{port}: {reason}.</source>
        <translation>L’API locale n’a pas pu démarrer sur {host}:{port} : {reason}.</translation>
    </message>
    <message>
        <source>The new model settings take effect the next time the model is loaded.</source>
        <translation>Les nouveaux réglages du modèle prendront effet au prochain chargement du modèle.</translation>
    </message>
    <message>
        <source>This conversation is to be answered by a server, but none is set: give its address in Settings → Engine.</source>
        <translation>Cette conversation doit recevoir ses réponses d’un serveur, mais aucun n’est défini : donnez son adresse dans Réglages → Moteur.</translation>
    </message>
</context>
</TS>
