"""Emotion cells as people fill them in: a score, a word or an emoji face.

``feeling_score("Frustrated 😤")`` is -1; ``feeling_score("+2")`` is 2; a cell that names
no feeling Waymark knows gives None (the card is kept, without a score). Words are matched
whole, without regard to case or accents, in English, Spanish, French, German, Portuguese,
Japanese, Chinese and Arabic; the first feeling found in the cell decides.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORDS: dict[int, str] = {
    2: "delighted thrilled excited ecstatic overjoyed elated love loved amazed very happy "
       "great fantastic wonderful awesome encantado encantada emocionado emocionada ravi ravie "
       "enchanté enchantée begeistert ilusionado ilusionada متحمس متحمسة",
    1: "happy glad pleased satisfied content relieved confident curious hopeful good positive "
       "calm reassured interested optimistic feliz contento contenta satisfecho "
       "satisfecha aliviado aliviada tranquilo tranquila curioso curiosa heureux heureuse "
       "content contente satisfait satisfaite soulagé soulagée rassuré rassurée froh "
       "zufrieden erleichtert neugierig satisfeito satisfeita aliviado alegre confiado "
       "confiada curieux curieuse confiant confiante glücklich entspannt ruhig "
       "سعيد سعيدة راض راضية فضولي فضولية مطمئن مطمئنة",
    0: "neutral ok okay fine indifferent meh unsure so-so mixed neutro neutra normal "
       "indiferente neutre bof محايد محايدة",
    -1: "confused anxious worried frustrated annoyed impatient disappointed uncertain nervous "
        "bored irritated stressed overwhelmed lost skeptical sceptical sad unhappy negative "
        "doubtful tired confundido confundida preocupado preocupada frustrado frustrada "
        "molesto molesta impaciente decepcionado decepcionada nervioso nerviosa aburrido "
        "aburrida estresado estresada perdido perdida triste confus confuse inquiet inquiète "
        "frustré frustrée agacé agacée déçu déçue stressé stressée perdu perdue ennuyé "
        "verwirrt besorgt frustriert genervt enttäuscht gestresst preocupado chateado ansioso "
        "ansiosa inquieto inquieta agobiado agobiada harto harta anxieux anxieuse impatiente "
        "ängstlich unsicher nervös skeptisch überfordert traurig قلق قلقة محبط محبطة مرتبك "
        "مرتبكة منزعج منزعجة خائف خائفة",
    -2: "angry furious upset hate hated terrible awful livid outraged miserable devastated "
        "despair furioso furiosa enfadado enfadada enojado enojada indignado indignada "
        "desesperado desesperada غاضب غاضبة furieux furieuse énervé énervée exaspéré exaspérée "
        "désespéré désespérée wütend verärgert zornig",
}
_PHRASES: dict[str, int] = {"very happy": 2, "very frustrated": -2, "very angry": -2,
                            "very unhappy": -2, "not happy": -1, "so so": 0}
#: Single-word feelings in Japanese and Chinese (no spaces between words there).
_CJK: dict[str, int] = {
    "大満足": 2, "感動": 2, "最高": 2, "非常满意": 2, "惊喜": 2,
    "嬉しい": 1, "満足": 1, "安心": 1, "楽しい": 1, "满意": 1, "开心": 1, "高兴": 1, "放心": 1,
    "ワクワク": 1, "楽しみ": 1, "期待": 1, "好奇": 1,
    "普通": 0, "一般": 0, "まあまあ": 0,
    "不安": -1, "困惑": -1, "面倒": -1, "不満": -1, "イライラ": -1, "迷う": -1, "失望": -1,
    "心配": -1, "がっかり": -1, "焦虑": -1, "紧张": -1, "沮丧": -1,
    "担心": -1, "着急": -1, "困惑的": -1, "麻烦": -1, "不满": -1,
    "怒り": -2, "激怒": -2, "最悪": -2, "生气": -2, "愤怒": -2, "绝望": -2,
}
_EMOJI: dict[str, int] = {}
for _score, _faces in {
    2: "😍 🤩 😁 😄 🥰 😆 🥳 ❤️ ❤ 💯 👏",
    1: "🙂 😊 😃 😀 😌 👍 ☺️ ☺ 🤗",
    0: "😐 😶 🤔 😑 🫤",
    -1: "😕 🙁 😟 😒 😤 😩 😫 😓 😥 😬 👎 😔 😞 ☹️ ☹",
    -2: "😡 😠 🤬 😢 😭 😱 💀",
}.items():
    for _face in _faces.split():
        _EMOJI[_face] = _score

_SCORE = re.compile(r"^\s*\(?([+\-\u2212]?\d+(?:[.,]\d+)?)\)?\s*$")
_TRAILING_SCORE = re.compile(r"\(([+\-\u2212]?\d+)\)\s*$")


def _fold(text: str) -> str:
    """Lower case without accents: 'Frustrée' -> 'frustree'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=1)
def _word_table() -> dict[str, int]:
    table: dict[str, int] = {}
    for score, words in _WORDS.items():
        for word in words.split():
            table.setdefault(_fold(word.rstrip("?")), score)
    return table


def number_in(text: str) -> float | None:
    """The number a cell holds when it is only a number ('+1', '−2', '(3)', '4,5'), else None."""
    m = _SCORE.match(text)
    if not m:
        return None
    return float(m.group(1).replace("\u2212", "-").replace(",", "."))


def feeling_score(text: str) -> int | None:
    """The -2..+2 feeling a word or emoji cell names, or None (numbers: see number_in)."""
    m = _TRAILING_SCORE.search(text)  # 'Frustrated (-1)', as the grid layout writes it
    if m:
        value = int(m.group(1).replace("\u2212", "-"))
        return value if -2 <= value <= 2 else None
    for face, score in _EMOJI.items():
        if face in text:
            return score
    folded = _fold(text)
    for phrase, score in _PHRASES.items():
        if phrase in folded:
            return score
    table = _word_table()
    for word in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)?", folded):
        if word in table:
            return table[word]
    for word, score in _CJK.items():
        if word in text:
            return score
    return None
