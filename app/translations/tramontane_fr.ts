<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr" sourcelanguage="en">
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
</TS>
