"""Coverage of the trigger lexicons (kg/data/lexicon/events_<lang>.yaml): common news verbs and
nouns of every event type, in their inflected forms, in both languages - and words with a
non-event sense that must not trigger ("came under fire" from critics, "Feuerwehr", "exercise
restraint").

All sentences were written for these tests (see tests/extraction_helpers.py); the article was
published on Wednesday 20 August 2025.
"""
from __future__ import annotations

import pytest

from extraction_helpers import actors, describe, events, extract, participants, the_event

# (sentence, type, an actor the event must have, modality or None for "asserted")
EN = [
    # ASSAULT
    ("Russian and Ukrainian troops fought fierce battles near Pokrovsk.", "ASSAULT", "Russia", None),
    ("Ukraine has been fighting a war against Russia for years.", "ASSAULT", "Ukraine", None),
    ("A Russian drone hit an apartment building in Odesa.", "ASSAULT", "Russia", None),
    ("Israel targeted Hamas positions in Gaza.", "ASSAULT", "Israel", None),
    ("Israeli troops raided a refugee camp near Jenin.", "ASSAULT", "Israel", None),
    ("Russian troops stormed a village near Bakhmut.", "ASSAULT", "Russia", None),
    ("Militants ambushed a Pakistani army convoy.", "ASSAULT", "Pakistan", None),
    ("Russia launched a missile barrage against Lviv.", "ASSAULT", "Russia", None),
    ("Russian forces pounded Kharkiv overnight.", "ASSAULT", "Russia", None),
    ("Israel carried out an air raid on Beirut.", "ASSAULT", "Israel", None),
    # MOBILIZE
    ("Russia massed troops near the border of Ukraine.", "MOBILIZE", "Russia", None),
    ("The United States dispatched warships to the Red Sea.", "MOBILIZE", "United States", None),
    ("China held exercises near Taiwan.", "MOBILIZE", "China", None),
    ("Germany and Poland held joint exercises.", "MOBILIZE", "Germany", None),
    # COERCE
    ("Russian forces took control of the village of Novoselivka.", "COERCE", "Russia", None),
    ("Iran jailed a French citizen.", "COERCE", "Iran", None),
    # SANCTION
    ("The United States imposed tariffs on China.", "SANCTION", "United States", None),
    ("Britain froze Russian assets.", "SANCTION", "United Kingdom", None),
    ("Poland cut diplomatic ties with Belarus.", "SANCTION", "Poland", None),
    ("Britain summoned the Chinese ambassador.", "PROTEST", "United Kingdom", None),
    ("The United States imposed targeted sanctions on Iranian officials.", "SANCTION", "United States", None),
    # AID
    ("The United States sent weapons to Ukraine.", "AID", "United States", None),
    ("Germany will hand over another Patriot system to Ukraine.", "AID", "Germany", "planned"),
    # AGREE
    ("Armenia and Azerbaijan signed a peace accord.", "AGREE", "Armenia", None),
    ("Israel and Hamas reached a deal on a ceasefire.", "AGREE", "Israel", None),
    ("Ukraine ratified the treaty with Britain.", "AGREE", "Ukraine", None),
    # SUPPORT
    ("Poland sided with Lithuania in the dispute.", "SUPPORT", "Poland", None),
    ("Macron commended Ukraine for its courage.", "SUPPORT", "Emmanuel Macron", None),
    # ACCUSE
    ("Ukraine alleges that Russia used chemical weapons.", "ACCUSE", "Ukraine", None),
    ("Trump held China responsible for the pandemic.", "ACCUSE", "Donald Trump", None),
    ("Zelensky lambasted Hungary over its veto.", "ACCUSE", "Volodymyr Zelensky", None),
    # THREATEN
    ("Iran vowed harsh retaliation against Israel.", "THREATEN", "Iran", None),
    # REJECT
    ("Hungary blocked the sanctions package against Russia.", "REJECT", "Hungary", None),
    ("Russia rebuffed the proposal of Ukraine.", "REJECT", "Russia", None),
    # REQUEST
    ("Zelensky pleaded for more air defence from Germany.", "REQUEST", "Volodymyr Zelensky", None),
    # CONCEDE / RETREAT
    ("Ukraine and Russia carried out a prisoner exchange.", "CONCEDE", "Russia", None),
    ("The United States lifted sanctions on Syria.", "CONCEDE", "United States", None),
    ("Israel pulled its troops back from Gaza.", "RETREAT", "Israel", None),
    # COOPERATE
    ("Germany and France agreed to work together on air defence.", "COOPERATE", "France", None),
    # CONSULT
    ("Merz phoned Zelensky on Monday.", "CONSULT", "Friedrich Merz", None),
    ("Macron talked with Xi about trade.", "CONSULT", "Emmanuel Macron", None),
]

DE = [
    # ASSAULT
    ("Russische Truppen kämpften um Pokrowsk.", "ASSAULT", "Russia", None),
    ("Russland und die Ukraine lieferten sich heftige Kämpfe um Pokrowsk.", "ASSAULT", "Russia", None),
    ("Russische Raketen schlugen in Kiew ein.", "ASSAULT", "Russia", None),
    ("Russische Soldaten stürmten ein Dorf bei Bachmut.", "ASSAULT", "Russia", None),
    ("Russland startete eine neue Angriffswelle gegen Kiew.", "ASSAULT", "Russia", None),
    ("Israel attackierte Stellungen der Hisbollah im Libanon.", "ASSAULT", "Israel", None),
    # MOBILIZE
    ("Nordkorea schickte Soldaten nach Russland.", "MOBILIZE", "North Korea", None),
    ("Russland zog Truppen an der Grenze zu Finnland zusammen.", "MOBILIZE", "Russia", None),
    # COERCE
    ("Russland kaperte einen ukrainischen Frachter.", "COERCE", "Russia", None),
    ("Iran verhaftete einen deutschen Journalisten.", "COERCE", "Iran", None),
    # SANCTION
    ("Die USA verhängten neue Zölle gegen China.", "SANCTION", "United States", None),
    ("Die USA verhängten Strafzölle gegen China.", "SANCTION", "United States", None),
    ("Das Auswärtige Amt bestellte den iranischen Botschafter ein.", "PROTEST",
     "German Federal Foreign Office", None),
    # AID
    ("Deutschland schickte weitere Waffen in die Ukraine.", "AID", "Germany", None),
    ("Deutschland hat der Ukraine weitere Militärhilfe zugesagt.", "AID", "Germany", None),
    ("Deutschland stellt der Ukraine weitere 500 Millionen Euro bereit.", "AID", "Germany", None),
    # AGREE
    ("Armenien und Aserbaidschan verständigten sich auf einen Friedensvertrag.", "AGREE", "Armenia", None),
    ("Die EU hat dem Kompromiss zugestimmt.", "AGREE", "European Union", None),
    # SUPPORT
    ("Polen stellte sich hinter die Ukraine.", "SUPPORT", "Poland", None),
    # ACCUSE
    ("Merz machte Russland für den Angriff verantwortlich.", "ACCUSE", "Friedrich Merz", None),
    ("Die Ukraine bezichtigte Russland der Kriegsverbrechen.", "ACCUSE", "Ukraine", None),
    # THREATEN
    ("Trump stellte der Hamas ein Ultimatum.", "THREATEN", "Donald Trump", None),
    # REJECT
    ("Ungarn weigerte sich, die Sanktionen mitzutragen.", "REJECT", "Hungary", None),
    # REQUEST
    ("Iran ersuchte die UN um Hilfe.", "REQUEST", "Iran", None),
    # CONCEDE / RETREAT
    ("Russland ließ einen US-Bürger frei.", "CONCEDE", "Russia", None),
    ("Israel zog sich aus dem Gazastreifen zurück.", "RETREAT", "Israel", None),
    # COOPERATE
    ("Deutschland und Frankreich wollen bei der Rüstung enger zusammenarbeiten.", "COOPERATE", "France", "planned"),
    # CONSULT
    ("Merz rief Selenskyj am Montag an.", "CONSULT", "Friedrich Merz", None),
    ("In den kommenden Tagen wird Merz nach Kiew reisen.", "CONSULT", "Friedrich Merz", "planned"),
]


def _check(extractor, lang, sentence, etype, actor, modality):
    x = extract(extractor, sentence, lang)
    ev = the_event(x, etype, actor=actor)
    assert ev.modality == (modality or "asserted"), describe(x)
    assert actor in actors(x, ev), describe(x)


@pytest.mark.parametrize("sentence,etype,actor,modality", EN, ids=[f"{c[1]}-{c[0][:35]}" for c in EN])
def test_english_news_vocabulary(extractor, sentence, etype, actor, modality):
    _check(extractor, "en", sentence, etype, actor, modality)


@pytest.mark.parametrize("sentence,etype,actor,modality", DE, ids=[f"{c[1]}-{c[0][:35]}" for c in DE])
def test_german_news_vocabulary(extractor, sentence, etype, actor, modality):
    _check(extractor, "de", sentence, etype, actor, modality)


# Words with an everyday sense that is no event of that type.
@pytest.mark.parametrize("lang,sentence,etype", [
    ("en", "Merz came under fire from critics in the Bundestag.", "ASSAULT"),
    ("en", "Macron faced a barrage of criticism from the opposition.", "ASSAULT"),
    ("en", "The price of oil hit a record high.", "ASSAULT"),
    ("en", "India urged Pakistan to exercise restraint.", "MOBILIZE"),
    ("en", "Lee is expected to face pressure from China.", "REQUEST"),
    ("de", "Die Feuerwehr in Kiew löschte einen Brand.", "ASSAULT"),
    ("de", "Bei schweren Stürmen kamen in Italien drei Menschen ums Leben.", "ASSAULT"),
    ("de", "Die Ölpreise stiegen nach dem Treffen in Riad.", "CONSULT"),
    ("de", "Russland und die Ukraine lieferten sich heftige Kämpfe um Pokrowsk.", "AID"),
])
def test_everyday_sense_does_not_trigger(extractor, lang, sentence, etype):
    x = extract(extractor, sentence, lang)
    assert not events(x, etype), describe(x)


def test_aid_pledge_is_aid_but_a_bare_pledge_stays_agree(extractor):
    x = extract(extractor, "Deutschland hat der Ukraine weitere Militärhilfe zugesagt.", "de")
    assert not events(x, "AGREE"), describe(x)
    x = extract(extractor, "Die EU hat der Ukraine einen Beitritt zugesagt.", "de")
    assert events(x, "AGREE") and not events(x, "AID"), describe(x)


def test_separated_subordinate_forms_of_refusals(extractor):
    x = extract(extractor, "Wadephul sagte, dass Deutschland den Vorschlag ablehnt.", "de")
    assert "Germany" in actors(x, the_event(x, "REJECT")), describe(x)


@pytest.mark.parametrize("lang,body,etype,actor,place", [
    ("en", "Russian missiles hit Kyiv overnight.", "ASSAULT", "Russia", "Kyiv"),
    ("en", "Israeli jets hit Beirut on Monday.", "ASSAULT", "Israel", "Beirut"),
])
def test_attack_on_a_named_city_is_on_the_city(extractor, lang, body, etype, actor, place):
    """'missiles hit Kyiv': a town as the object of an attack is the place hit, not its government."""
    x = extract(extractor, body, lang)
    ev = the_event(x, etype)
    assert actors(x, ev) == {actor}, describe(x)
    assert place in participants(x, ev), describe(x)


@pytest.mark.parametrize("body", ["Trump hit back at his critics on Monday.", "The army fought back on Monday."])
def test_hitting_back_is_no_support(extractor, body):
    x = extract(extractor, body, "en")
    assert not events(x, "SUPPORT"), describe(x)


def test_object_noun_after_the_trigger_does_not_set_modality(extractor):
    """'rebuffed the peace plan': the refusal happened; the plan is what was refused."""
    x = extract(extractor, "Ukraine rebuffed the peace plan on Monday.", "en")
    assert the_event(x, "REJECT").modality == "asserted", describe(x)
