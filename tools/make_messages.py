"""Write notebooks/data/messages.tsv, the small spam/ham data set of notebook 07.

The messages are synthetic: the course's authors wrote the templates and word
lists below, and this script fills them in with a fixed seed. No real person's
messages are in it. Some everyday messages use words typical of spam ("free",
"win", "offer") and some spam avoids them, so that no single word decides the
label.

    python tools/make_messages.py     # rewrites the file; the same seed gives the same file
"""

import pathlib
import random

OUT = pathlib.Path(__file__).resolve().parent.parent / "notebooks" / "data" / "messages.tsv"

SPAM = [
    "congratulations you have won a {prize} call {number} now to claim",
    "urgent your account has been suspended verify your details at {link}",
    "win a brand new {prize} text WIN to {short} today",
    "you are selected for a cash prize of {money} reply YES to claim",
    "free entry into our weekly draw for a {prize} txt {short}",
    "final notice your {thing} payment failed update it now at {link}",
    "limited offer get {money} cashback when you sign up at {link}",
    "claim your {money} reward before midnight call {number}",
    "your parcel is waiting pay the {money} delivery fee at {link}",
    "exclusive deal {prize} for only {money} order now at {link}",
    "act now your loan of {money} is approved call {number}",
    "hot singles in your area want to meet you visit {link}",
    "we tried to reach you about your {thing} refund of {money} call {number}",
    "guaranteed {money} a week working from home reply INFO",
]
HAM = [
    "are we still on for {meal} at {time}",
    "running late see you at the {place} in ten minutes",
    "can you pick up {food} on the way home",
    "thanks for {meal} yesterday it was lovely",
    "the {thing} meeting moved to {time} tomorrow",
    "happy birthday hope you have a great day",
    "did you see the {match} last night what a finish",
    "i left my {item} at your place can i get it {day}",
    "mum says {meal} is at {time} don't be late",
    "the {place} has a free table if we go before {time}",
    "i won the pub quiz last night {day} drinks are on me",
    "there is an offer on {food} at the shop want some",
    "call me when you get this no rush",
    "can we move our call to {day} i have a {thing} appointment",
    "good luck with the {thing} today you will be great",
]
FILL = {
    "prize": ["iphone", "holiday", "car", "tv", "laptop", "gift card", "cruise"],
    "number": ["0800 123 456", "09061 701 461", "0871 277 810", "08707 509 020"],
    "short": ["80082", "87121", "85233", "69669"],
    "link": ["bit ly claim now", "secure login update com", "prize winner net", "track parcel info"],
    "money": ["500 pounds", "1000 pounds", "2 99", "250 pounds", "5000 pounds"],
    "thing": ["bank", "phone", "tax", "dentist", "team", "doctor", "council"],
    "meal": ["lunch", "dinner", "breakfast", "tea", "brunch"],
    "time": ["six", "seven", "noon", "half five", "eight"],
    "place": ["station", "cafe", "park", "cinema", "library", "pub"],
    "food": ["milk", "bread", "eggs", "pasta", "some fruit", "coffee"],
    "match": ["game", "match", "final", "race"],
    "item": ["umbrella", "charger", "keys", "scarf", "book"],
    "day": ["tomorrow", "saturday", "sunday", "friday", "tonight"],
}


def fill(template, rng):
    return template.format(**{k: rng.choice(v) for k, v in FILL.items()})


def render():
    """The file's text: a header, then 150 spam and 150 ham messages in a seeded shuffle.

    Each row also names the template it was made from ("spam03", "ham11"), so that a
    notebook can hold out whole templates: messages unlike any it trained on.
    """
    rng = random.Random(2024)
    rows, seen = [], set()
    for label, templates in (("spam", SPAM), ("ham", HAM)):
        count = 0
        while count < 150:
            template = rng.choice(templates)
            row = (label, fill(template, rng))
            if row not in seen:
                seen.add(row)
                rows.append(row + (f"{label}{templates.index(template):02d}",))
                count += 1
    rows.sort()  # the order of generation is not the file's order: sort, then shuffle with the seed
    rng.shuffle(rows)
    return "label\ttext\ttemplate\n" + "".join(f"{label}\t{text}\t{template}\n" for label, text, template in rows)


def main():
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(render())
    print(f"wrote {OUT.relative_to(OUT.parents[2])}")


if __name__ == "__main__":
    main()
