#!/usr/bin/env python3
"""Build the bundled example transcripts and their reference coding.

The focus-group dialogues below are fictional but modelled on the MIV mbo 2023
focus groups (students and staff at three invented mbo institutions). Each
transcript is held as data, a list of ``(speaker, utterance, [codes])`` turns,
and written to ``transcripts_example/`` in the formats researchers actually
receive: plain text (cp1252, UTF-8 with BOM and CRLF, plain UTF-8), Word
documents (python-docx), Teams/Zoom WebVTT captions and SRT subtitles.

Turn indices are never typed by hand: turn N is simply the N-th tuple of a
transcript (0-based, moderator turns included). The writers guarantee that a
turn stays one turn in every format (consecutive cues of one speaker in
vtt/srt are one turn; an unlabeled continuation line in a txt file belongs to
the turn above), and ``verify()`` reads every written file back with a small
independent parser to prove that the indices in ``reference_codings.csv``
point at the intended utterances.

Run:  python scripts/build_examples.py [--out transcripts_example]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import random
import re
import sys
import uuid
import zipfile
from collections import Counter
from datetime import datetime, timezone
from dataclasses import dataclass, field
from pathlib import Path

import docx

# --------------------------------------------------------------------------
# Codebook ids (parent -> children). Kept here so the script validates every
# reference code without importing the package under development.
# --------------------------------------------------------------------------
CODEBOOK: dict[str, list[str]] = {
    "discriminatie": [
        "stagediscriminatie", "racisme", "vooroordelen",
        "discriminatie_geloof", "discriminatie_door_personeel",
    ],
    "online_veiligheid": [
        "delen_beelden", "online_pesten", "online_bedreiging", "oplichting_hacken",
    ],
    "lhbtiq": ["lhbtiq_uitschelden", "lhbtiq_openheid"],
    "diversiteit_inclusie": ["gelijke_kansen", "erbij_horen"],
    "agressie_geweld": [
        "fysiek_geweld", "verbale_agressie", "bedreiging", "wapens", "pesten",
    ],
    "seksueel_grensoverschrijdend": [
        "nastaren_nafluiten", "ongewenste_aanraking", "seksuele_opmerkingen",
    ],
    "discussies_met_gevolgen": ["zelfcensuur", "polariserende_discussies"],
    "geaccepteerde_onveiligheid": ["normalisering", "ontkenning", "melden_en_steun"],
}
PARENT: dict[str, str] = {p: p for p in CODEBOOK}
PARENT.update({c: p for p, kids in CODEBOOK.items() for c in kids})
CODE_ORDER = {c: i for i, c in enumerate(
    [x for p, kids in CODEBOOK.items() for x in [p, *kids]])}

MANIFEST_FIELDS = ["file", "name", "institution", "group", "leerweg", "niveau",
                   "locatie", "datum", "moderator"]


@dataclass
class Example:
    name: str
    fmt: str  # txt | docx | vtt | srt
    meta: dict[str, str]
    moderator_label: str
    turns: list[tuple[str, str, list[str]]]
    options: dict = field(default_factory=dict)

    @property
    def filename(self) -> str:
        return f"{self.name}.{self.fmt}"


# ==========================================================================
# 1. ROC Kempenhorst, studenten Zorg & Welzijn (verzorgende IG), BOL 3
#    txt, UTF-8 with BOM, CRLF line endings
# ==========================================================================
KEMPENHORST_ZORG = [
    ("Gespreksleider", "Welkom allemaal, fijn dat jullie er zijn. Ik ben Anouk en ik doe dit gesprek namens de onderzoekers van de Monitor Integrale Veiligheid. Het duurt ongeveer een uur.", []),
    ("Student 1", "Krijgen we er ook iets voor? Want ik mis nu eigenlijk praktijkles.", []),
    ("Gespreksleider", "Er staat straks drinken en wat lekkers klaar, en je mentor weet dat je hier bent. Voordat we beginnen, ik neem het gesprek op met deze recorder. De opname gebruiken we alleen om het uit te typen, daarna wordt hij verwijderd. In het verslag komen geen namen. Is iedereen daarmee akkoord?", []),
    ("Student 3", "Ja hoor, prima.", []),
    ("Student 2", "Ja. Maar je vertelt het toch niet door aan school?", []),
    ("Gespreksleider", "Nee, wat hier gezegd wordt blijft hier. Dat vraag ik ook van jullie, dus niet na afloop in de groepsapp zetten wie wat gezegd heeft. Er zijn geen goede of foute antwoorden en je hoeft niets te vertellen wat je niet wilt. Dan de eerste vraag. Als je aan school denkt, voel je je hier dan veilig?", []),
    ("Student 4", "Ja, over het algemeen wel. Het is een rustige locatie, zeker vergeleken met mijn oude school.", []),
    ("Student 1", "Binnen wel. Buiten bij de ingang staan altijd van die jongens van de andere opleidingen met hun scooters. Die roepen wel eens wat als je langsloopt, maar daar let je na een tijdje niet meer op.", ["nastaren_nafluiten", "normalisering"]),
    ("Gespreksleider", "Wat roepen ze dan?", []),
    ("Student 1", "Gewoon, psst, of schatje, hé mooie. Of ze fluiten je na. Echt niks bijzonders hoor.", ["nastaren_nafluiten", "normalisering"]),
    ("Student 3", "Dat is overal zo, niet alleen hier. In de trein heb je het ook. Je went eraan, zeg maar.", ["nastaren_nafluiten", "normalisering"]),
    ("Gespreksleider", "Vinden jullie dat onveilig?", []),
    ("Student 2", "Onveilig is een groot woord. Het is irritant. Ik loop er soms wel omheen, via de achteringang bij de fietsenstalling.", ["nastaren_nafluiten", "normalisering"]),
    ("Student 5", "Ik vind het eerlijk gezegd wel eng. Vooral als je alleen bent en het al donker is, in de winter na het laatste uur. Dan ga ik bellen met mijn moeder tot ik bij de bushalte sta.", ["nastaren_nafluiten"]),
    ("Gespreksleider", "En wanneer gaat het voor jullie wel over een grens?", []),
    ("Student 3", "Als ze aan je gaan zitten. Kijken en roepen, oké, dat doen ze toch wel. Maar niet aanraken.", ["ongewenste_aanraking", "nastaren_nafluiten", "normalisering"]),
    ("Student 1", "Ja, aanraken is echt een ander verhaal. Vorig jaar stond er een jongen achter me in de rij bij de kantine en die pakte me gewoon bij mijn heup. Toen schrok ik wel.", ["ongewenste_aanraking"]),
    ("Gespreksleider", "Wat heb je toen gedaan?", []),
    ("Student 1", "Niks eigenlijk. Ik ben weggelopen en heb het aan mijn vriendinnen verteld. Naar de mentor gaan, ik weet niet. Wat moet ze ermee, ik wist niet eens hoe hij heette.", ["ongewenste_aanraking", "melden_en_steun"]),
    ("Student 4", "En dan ben jij opeens degene die moeilijk doet. Zo voelt het tenminste.", ["melden_en_steun"]),
    ("Gespreksleider", "Weten jullie bij wie je terechtkunt als er zoiets gebeurt?", []),
    ("Student 2", "Er is een vertrouwenspersoon, dat stond in de introductieweek op een dia. Maar ik zou echt niet weten wie het is of waar ze zit.", ["melden_en_steun"]),
    ("Student 5", "Ik zou naar meneer Verhoeven gaan, onze SLB'er. Die is echt chill, die neemt je serieus.", ["melden_en_steun"]),
    ("Gespreksleider", "Jullie lopen ook allemaal stage. Hoe is het daar?", []),
    ("Student 3", "Ik loop stage in een verpleeghuis op de pg-afdeling. Daar zeggen bewoners soms echt dingen. Een meneer vroeg elke ochtend of ik even bij hem in bed kwam liggen.", ["seksuele_opmerkingen"]),
    ("Student 4", "Dat heb ik ook gehad. Maar ja, die mensen zijn dement, die weten niet wat ze zeggen. Dat hoort bij het vak, zei mijn werkbegeleider.", ["seksuele_opmerkingen", "normalisering"]),
    ("Student 3", "Het hoort erbij, oké. Maar het blijft raar als je zeventien bent en hij knijpt in je bil terwijl je hem wast.", ["ongewenste_aanraking", "normalisering"]),
    ("Gespreksleider", "Werd daar op je stage iets mee gedaan?", []),
    ("Student 3", "We hebben het in de intervisie besproken. Sindsdien gaan we met zijn tweeën naar die kamer. Dat hielp wel.", ["melden_en_steun"]),
    ("Student 2", "Bij mij was het anders. Er was een mevrouw die niet door mij geholpen wilde worden. Ze zei tegen de teamleider dat ze liever een Hollands meisje had. Ik ben gewoon in Eindhoven geboren, hoor.", ["stagediscriminatie", "racisme"]),
    ("Gespreksleider", "Hoe was dat voor jou?", []),
    ("Student 2", "Eerst lachte ik het weg. De collega's zeiden, trek het je niet aan, ze is oud. Maar ik werd wel elke dienst naar een andere gang gestuurd, dus ik deed minder handelingen dan de rest. Dat zag je terug in mijn beoordeling.", ["stagediscriminatie", "gelijke_kansen", "normalisering"]),
    ("Student 5", "Met een hoofddoek heb je dat nog meer. Ze kijken je op zo'n afdeling gewoon anders aan, alsof je van de schoonmaak bent.", ["discriminatie_geloof", "vooroordelen"]),
    ("Gespreksleider", "En hier op school, merk je zoiets daar ook?", []),
    ("Student 4", "Nee, op school niet echt. In onze klas zit iedereen door elkaar, dat is juist het leuke.", ["erbij_horen"]),
    ("Student 1", "Toen ik bij het voorstelrondje in het eerste jaar zei dat ik een vriendin had, werd het echt even doodstil in het lokaal. Nu vraagt iedereen gewoon hoe het met haar gaat.", ["lhbtiq_openheid", "erbij_horen"]),
    ("Gespreksleider", "Hoe kwam het dat dat veranderde?", []),
    ("Student 1", "Onze mentor heeft er een les over gegeven, niet over mij hoor, gewoon algemeen. En een paar meiden kwamen daarna naar me toe om te zeggen dat ze het stoer vonden.", ["lhbtiq_openheid"]),
    ("Student 3", "Bij de jongens van techniek hiernaast zou ik het niet zeggen. Daar is homo gewoon een scheldwoord.", ["lhbtiq_uitschelden", "lhbtiq_openheid"]),
    ("Gespreksleider", "Hebben jullie het gevoel dat iedereen hier dezelfde kansen krijgt?", []),
    ("Student 5", "Op school wel. Maar bij het zoeken naar een stageplek niet. Ik had twintig brieven gestuurd en kreeg niks terug. Mijn klasgenote met dezelfde cijfers had er in een week drie.", ["stagediscriminatie", "gelijke_kansen"]),
    ("Student 2", "Ja, en het stagebureau zei dat ik de foto van mijn cv moest halen. Dat zegt toch genoeg.", ["stagediscriminatie", "gelijke_kansen"]),
    ("Student 4", "Maar dat kan toch ook toeval zijn? Misschien hadden ze gewoon geen plek meer.", ["stagediscriminatie"]),
    ("Student 5", "Twintig keer toeval? Kom op.", ["stagediscriminatie"]),
    ("Student 3", "Mag ik iets vragen, hoe laat zijn we klaar? Mijn bus gaat om tien over drie en anders sta ik een half uur te wachten.", []),
    ("Gespreksleider", "We zijn om drie uur klaar, dat gaat lukken.", []),
    ("Student 1", "Die lijn 403 is echt altijd te laat trouwens. Gisteren stond ik twintig minuten in de regen.", []),
    ("Student 2", "Neem gewoon de fiets, joh.", []),
    ("Gespreksleider", "Nog één vraag voordat we afronden. Stel dat jij de directeur van deze school was. Wat zou je als eerste veranderen om het hier veiliger te maken?", []),
    ("Student 5", "Iemand bij de ingang aan het eind van de middag. Gewoon een conciërge die daar staat, dan houden die jongens hun mond wel.", ["nastaren_nafluiten"]),
    ("Student 2", "En dat je weet wie de vertrouwenspersoon is. Niet één dia in week één, maar dat ze gewoon een keer in de klas komt.", ["melden_en_steun"]),
    ("Student 4", "Dat stagebedrijven er ook op aangesproken worden als ze zo doen.", ["stagediscriminatie"]),
    ("Gespreksleider", "Dank jullie wel, heel fijn dat jullie zo open waren. Als je na vandaag nog ergens mee zit, kun je mij mailen of naar je mentor gaan. Het drinken staat achterin op tafel.", []),
]

# ==========================================================================
# 2. ROC Kempenhorst, medewerkers (Entree/niveau 2 team), Helmond
#    docx, one paragraph per turn, "Speaker: utterance"
# ==========================================================================
KEMPENHORST_MEDEWERKERS = [
    ("Gespreksleider", "Goedemiddag, welkom. Fijn dat jullie tijd hebben vrijgemaakt na een lange lesdag. Mijn naam is Sanne de Vries en ik leid dit gesprek voor het onderzoek naar sociale veiligheid in het mbo.", []),
    ("Teamleider", "Graag gedaan. Ik moet om half vijf wel weg, we hebben nog een teamoverleg.", []),
    ("Gespreksleider", "Dat is goed. Ik neem het gesprek op voor het uitwerken, daarna wordt de opname gewist. Wat jullie zeggen is niet herleidbaar naar personen of naar deze locatie. Ik vraag jullie om elkaar uit te laten praten en buiten deze ruimte niet te bespreken wat collega's hier inbrengen. Akkoord?", []),
    ("Docent", "Akkoord.", []),
    ("Conciërge", "Ja, prima.", []),
    ("Gespreksleider", "Laten we bij het begin beginnen. Hoe zou je de sfeer op deze locatie omschrijven?", []),
    ("Mentor", "Ik werk hier nu elf jaar. De sfeer is meestal goed, maar het is wel harder geworden sinds corona. Studenten hebben een korter lontje en ontploffen sneller.", ["agressie_geweld"]),
    ("Conciërge", "Dat merk ik ook. Ik sta de hele dag bij de receptie en de toon is anders. Als ik iemand vraag zijn pasje te laten zien krijg ik soms een scheldwoord naar mijn hoofd. Vorige week nog, van een jongen van zestien.", ["verbale_agressie"]),
    ("Gespreksleider", "Hoe ga je daarmee om?", []),
    ("Conciërge", "Eerlijk? Je wordt er hard van. Het meeste laat ik langs me heen gaan, anders ben je de hele dag bezig. Dat is nou eenmaal de doelgroep.", ["verbale_agressie", "normalisering"]),
    ("Teamleider", "Dat is precies wat ik niet wil horen, Ben. Dat moet je gewoon melden.", ["melden_en_steun"]),
    ("Conciërge", "Ja, maar dan moet ik weer een formulier invullen in dat systeem, en dan hoor ik er nooit meer wat van.", ["melden_en_steun"]),
    ("Docent", "Dat herken ik. Ik heb vorig jaar een incident gemeld, een student die een stoel door het lokaal smeet. Na drie weken zat hij weer gewoon bij mij in de les, zonder dat iemand me had verteld wat er was afgesproken.", ["fysiek_geweld", "melden_en_steun"]),
    ("Gespreksleider", "Wat had je op dat moment nodig gehad?", []),
    ("Docent", "Dat iemand terugkoppelt. Gewoon een mailtje, dit is het gesprek geweest, dit hebben we afgesproken. Nu voelde het alsof ik het zelf maar moest oplossen.", ["melden_en_steun"]),
    ("Mentor", "Het ligt er ook aan wie je bent. Als jonge vrouwelijke collega krijg je opmerkingen over je kleding, of er wordt gefloten als je het lokaal binnenkomt. Bij de mannen in het team doen ze dat niet.", ["nastaren_nafluiten", "seksuele_opmerkingen"]),
    ("Gespreksleider", "Kun je daar iets meer over vertellen?", []),
    ("Mentor", "Een student zei vorig jaar midden in de les, mevrouw, u ziet er vandaag lekker uit. De klas lag helemaal dubbel. Ik heb hem eruit gestuurd, maar eigenlijk lachte ik het eerst zelf ook een beetje weg. Dat doe je dan, om de sfeer niet te verpesten.", ["seksuele_opmerkingen", "normalisering"]),
    ("Teamleider", "Dat heb ik toen niet eens meegekregen.", ["melden_en_steun"]),
    ("Mentor", "Nee, omdat ik het niet gemeld heb. Het voelde te klein.", ["melden_en_steun", "normalisering"]),
    ("Gespreksleider", "Zijn er ook situaties geweest waarin jullie je echt bedreigd voelden?", []),
    ("Docent", "Eén keer. Een vader die na een gesprek over het bindend studieadvies zei, ik weet waar je woont. Hij stond daarna nog een half uur op de parkeerplaats naast mijn auto.", ["bedreiging"]),
    ("Conciërge", "Die heb ik toen weggestuurd. En in september hebben we na een ruzie bij een tassencontrole een mes gevonden, zo'n vlindermes. De jongen zei dat het voor zijn eigen veiligheid was, voor onderweg.", ["wapens"]),
    ("Gespreksleider", "Hoe vaak komt dat voor, wapens?", []),
    ("Teamleider", "Gelukkig weinig. Maar ik ga er niet meer van uit dat het nooit gebeurt. Er wordt wel veel geroepen, ik steek je neer, dat soort taal. Meestal is het stoer doen, maar je weet het nooit zeker.", ["wapens", "bedreiging", "verbale_agressie"]),
    ("Gespreksleider", "Ik wil het ook hebben over discussies in de klas. Merken jullie dat de situatie in het Midden-Oosten hier speelt?", []),
    ("Docent", "Heel erg. Na 7 oktober had ik een burgerschapsles gepland over nieuwsbronnen. Binnen vijf minuten stonden twee studenten tegenover elkaar te schreeuwen. Eén jongen hield zijn telefoon omhoog met beelden van een bombardement.", ["polariserende_discussies"]),
    ("Gespreksleider", "Wat deed je toen?", []),
    ("Docent", "Ik heb de les stilgelegd. Maar achteraf voelde ik me machteloos. Ik ben geen expert, en wat ik ook zeg, de ene helft van de klas vindt dat ik partij kies. Dus nu begin ik er eerlijk gezegd niet meer over.", ["polariserende_discussies", "zelfcensuur"]),
    ("Mentor", "Ik ook niet. Ik draag een kettinkje met een davidster en dat doe ik sinds oktober onder mijn trui.", ["zelfcensuur", "discriminatie_geloof"]),
    ("Gespreksleider", "Dat is nogal een stap.", []),
    ("Mentor", "Ja. Niemand heeft me iets gedaan hoor. Maar je voelt het. Er hangen stickers in de wc's, ik zeg niet welke.", ["discriminatie_geloof", "polariserende_discussies"]),
    ("Teamleider", "We hebben vanuit de directie een handreiking gekregen om het gesprek juist wel aan te gaan. Maar ik snap heel goed dat collega's dat spannend vinden. Een collega is door een student gefilmd terwijl hij iets zei over Hamas, en dat fragment ging rond op TikTok.", ["polariserende_discussies", "delen_beelden"]),
    ("Gespreksleider", "Wat waren de gevolgen voor die collega?", []),
    ("Teamleider", "Hij is een paar weken thuis geweest. Hij kreeg berichten via Instagram van mensen die hij niet kende, sommige echt heel grof. Inmiddels is hij terug, maar die klas geeft hij niet meer.", ["online_bedreiging", "polariserende_discussies"]),
    ("Gespreksleider", "Ik wil nog even naar iets anders. Hoe divers is het team eigenlijk, vergeleken met de studenten?", []),
    ("Docent", "Niet. Onze studenten zijn voor misschien zeventig procent van kleur, en in het team ben ik een van de twee.", ["diversiteit_inclusie"]),
    ("Mentor", "En dat merken studenten. Een meisje zei eens tegen me, u snapt het toch niet, u hoeft nooit uit te leggen waar u vandaan komt.", ["diversiteit_inclusie", "erbij_horen"]),
    ("Docent", "Ik word door collega's ook weleens gezien als de tolk. Of als degene die wel even met die Marokkaanse jongens kan praten. Goed bedoeld, maar ik ben docent Nederlands, geen jongerenwerker.", ["vooroordelen", "diversiteit_inclusie"]),
    ("Gespreksleider", "Hoe gaan collega's onderling om met opmerkingen over studenten?", []),
    ("Conciërge", "Er wordt in de koffiekamer weleens wat gezegd, ja. Die zijn weer lekker bezig, over een bepaalde groep. Dat wordt dan als grapje gebracht.", ["discriminatie_door_personeel", "normalisering"]),
    ("Teamleider", "Dat wist ik eerlijk gezegd niet. Dat neem ik mee naar het MT, want als studenten dat oppikken ben je ze kwijt.", ["discriminatie_door_personeel"]),
    ("Mentor", "Ze pikken het op. Een studente vertelde me dat een docent in de praktijkles had gezegd, jij komt toch uit zo'n familie waar vrouwen niet mogen werken. Ze heeft daar nooit een klacht over ingediend.", ["discriminatie_door_personeel", "vooroordelen", "melden_en_steun"]),
    ("Gespreksleider", "Waarom niet, denk je?", []),
    ("Mentor", "Omdat ze bang was dat het haar beoordeling zou beïnvloeden. En omdat ze dacht dat het toch niks uitmaakt.", ["melden_en_steun"]),
    ("Conciërge", "Mag ik even iets anders zeggen, de koffieautomaat op de tweede verdieping is alweer kapot. Als jullie straks koffie willen moet je naar beneden.", []),
    ("Teamleider", "Ik heb het doorgegeven aan facilitair, Ben, echt waar.", []),
    ("Gespreksleider", "Goed om te weten. Tot slot, wat zou jullie helpen om je veiliger te voelen in je werk?", []),
    ("Docent", "Scholing in hoe je een lastig gesprek in de klas begeleidt. En weten dat de school achter me staat als het misgaat.", ["polariserende_discussies", "melden_en_steun"]),
    ("Conciërge", "Een tweede persoon bij de ingang in de pauzes. Ik sta er nu alleen en als er wat gebeurt ben ik de eerste.", ["agressie_geweld"]),
    ("Mentor", "Dat we melden echt gewoon maken. Ook de kleine dingen, want die stapelen zich op.", ["melden_en_steun"]),
    ("Gespreksleider", "Heel erg bedankt voor jullie openheid. Jullie inbreng komt zonder namen in het verslag en ik stuur de teamleider een samenvatting van de algemene bevindingen. Fijne avond.", []),
]

# ==========================================================================
# 3. Vakcollege Maasoever, studenten logistiek, BOL 2, Rotterdam-Zuid
#    vtt, Teams style, cue ids and <v Name> voice tags
# ==========================================================================
MAASOEVER_LOGISTIEK = [
    ("Joost Hendriks", "Oké, hij neemt op denk ik. Ja, ik zie het rode bolletje. Welkom jongens, en Shanice natuurlijk. Ik ben Joost, ik kom van het onderzoeksbureau en ik wil met jullie praten over hoe veilig jullie je voelen op school.", []),
    ("Jayden", "Is dit zo'n Teams ding? Komt dit op internet?", []),
    ("Joost Hendriks", "Nee, niks komt op internet. Teams maakt een uitgeschreven tekst, die gebruiken wij alleen voor het onderzoek en daarna wordt de opname verwijderd. Jullie namen komen nergens in te staan. Als je niet wilt dat we opnemen, moet je het nu zeggen.", []),
    ("Shanice", "Nee, is goed.", []),
    ("Joost Hendriks", "Twee afspraken nog. Eén persoon tegelijk praten, anders kan die computer het niet volgen. En wat hier gezegd wordt, blijft in deze ruimte. Deal?", []),
    ("Rayan", "Deal. Mag ik wel mijn cola opdrinken?", []),
    ("Joost Hendriks", "Tuurlijk. Eerste vraag. Als je 's ochtends hier binnenloopt, hoe voelt dat?", []),
    ("Noah", "Gewoon normaal. Het is school, man. Niks speciaals.", []),
    ("Milan", "Het hangt ervan af wie er in de hal staat, zeg maar. Als die gasten van de entreeopleiding er staan weet je dat er iets gaat gebeuren.", ["agressie_geweld"]),
    ("Joost Hendriks", "Wat gebeurt er dan?", []),
    ("Milan", "Gewoon, die zoeken beef. Die duwen je aan de kant of ze zeggen, wat kijk je nou. Het is niet echt erg, maar je let wel op.", ["verbale_agressie", "fysiek_geweld", "normalisering"]),
    ("Shanice", "Vorige maand was er nog een vechtpartij bij de Albert Heijn hier achter. Iemand is echt in elkaar geslagen, met zijn hoofd tegen de stoeprand. Het filmpje ging rond in alle groepen.", ["fysiek_geweld", "delen_beelden"]),
    ("Joost Hendriks", "Hebben jullie dat filmpje gezien?", []),
    ("Jayden", "Iedereen heeft dat gezien. Het stond binnen een uur op zo'n fight-account op Insta.", ["delen_beelden"]),
    ("Rayan", "Ik heb het ook doorgestuurd, eerlijk gezegd. Je denkt daar niet bij na, iedereen doet het.", ["delen_beelden", "normalisering"]),
    ("Joost Hendriks", "En de jongen die geslagen werd, weten jullie hoe het met hem gaat?", []),
    ("Rayan", "Hij komt niet meer naar school. Ik denk omdat iedereen dat filmpje kent. Dat is eigenlijk wel zielig.", ["delen_beelden", "online_pesten"]),
    ("Joost Hendriks", "Wordt er hier op school ook gepest?", []),
    ("Noah", "Niet echt pesten. Meer dollen. Iedereen wordt weleens uitgelachen, dat is gewoon zo in onze klas.", ["pesten", "normalisering", "ontkenning"]),
    ("Shanice", "Nou. En die jongen met die bril dan? Die zit elke pauze alleen en jullie gooien steeds zijn etui door de klas.", ["pesten"]),
    ("Noah", "Dat is toch een grapje, hij lacht zelf ook.", ["pesten", "normalisering"]),
    ("Shanice", "Omdat hij niet anders kan. Er is ook een groepsapp zonder hem waar ze foto's van hem in zetten met stomme teksten erbij. Vorige week ging er zelfs een pestfilmpje rond van hoe hij struikelde in de gymzaal.", ["online_pesten", "delen_beelden"]),
    ("Joost Hendriks", "Milan, Jayden, klopt dat?", []),
    ("Jayden", "Ja, een beetje. Ik zit wel in die app maar ik doe zelf niks. Als je er iets van zegt ben jij de volgende, weet je.", ["online_pesten"]),
    ("Joost Hendriks", "Weet jullie mentor ervan?", []),
    ("Milan", "Nee joh. Wat ga je dan zeggen, mevrouw, er wordt gepest? Dan wordt het alleen maar erger en dan ben jij de snitch.", ["melden_en_steun", "pesten"]),
    ("Shanice", "Ik heb het wel een keer tegen mevrouw Dekker gezegd. Ze heeft toen met de klas gepraat, maar de pesters gingen gewoon door in de app.", ["melden_en_steun", "online_pesten"]),
    ("Joost Hendriks", "Oké. Milan zei net dat je soms moet opletten. Voelen jullie je weleens echt bedreigd?", []),
    ("Rayan", "Op school niet. Onderweg wel. Ik moet door de Afrikaanderwijk en daar lopen soms gasten met een mes. Niet van school, van buiten.", ["wapens", "bedreiging"]),
    ("Jayden", "Er zijn ook jongens van school die een mes bij zich hebben. Dat weet iedereen. Niet om te gebruiken, meer om te laten zien, of voor als er iets is.", ["wapens", "normalisering"]),
    ("Joost Hendriks", "Hoe voelt dat voor jullie, dat te weten?", []),
    ("Noah", "Boeit niet echt. Zolang je geen beef met ze hebt, doen ze niks.", ["wapens", "normalisering"]),
    ("Shanice", "Mij boeit het wel. Mijn neef is vorig jaar gestoken op een feest in Charlois. Sindsdien is dat voor mij niet meer normaal.", ["wapens", "fysiek_geweld"]),
    ("Joost Hendriks", "Wat naar om te horen. Hoe gaat het nu met hem?", []),
    ("Shanice", "Het gaat wel, hij is hersteld. Maar hij gaat nooit meer uit.", ["fysiek_geweld"]),
    ("Joost Hendriks", "Hebben jullie weleens meegemaakt dat iemand je online bedreigde, via een DM of op Snap?", []),
    ("Milan", "Ja, na een ruzie om een jas. Iemand stuurde op Snap, ik weet waar je woont, ik ga je pakken. Met een foto van mijn straat erbij.", ["online_bedreiging"]),
    ("Joost Hendriks", "Wat heb je toen gedaan?", []),
    ("Milan", "Niks, geblokt. Mijn moeder wilde naar de politie maar daar doen ze toch niks mee.", ["online_bedreiging", "melden_en_steun"]),
    ("Rayan", "Je moet gewoon niet reageren. Als je terugstuurt gaan ze je bullyen tot je van school gaat.", ["online_pesten", "online_bedreiging"]),
    ("Jayden", "Hé, hebben jullie die wedstrijd gisteren gezien? Feyenoord speelde echt slecht in de tweede helft.", []),
    ("Noah", "Schei uit, die keeper man. Drie tegengoals.", []),
    ("Joost Hendriks", "Haha, daar hebben we het zo over. Nog een vraag. Is er iemand op school bij wie jullie terechtkunnen als er iets is?", []),
    ("Shanice", "Mevrouw Dekker, onze mentor. Die luistert tenminste.", ["melden_en_steun"]),
    ("Rayan", "De beveiliger bij de deur, Sjaak. Die kent iedereen en die regelt het gewoon.", ["melden_en_steun"]),
    ("Milan", "Niemand eigenlijk. Ik los het zelf op of met mijn broer.", ["melden_en_steun"]),
    ("Noah", "Mag ik nog iets over de kantine zeggen? De broodjes kroket zijn echt te duur geworden, twee vijftig.", []),
    ("Joost Hendriks", "Ik zal het doorgeven, al weet ik niet of het helpt. Oké, we zijn aan het eind. Heel erg bedankt allemaal. Als je na dit gesprek ergens mee zit, kun je altijd bij mevrouw Dekker of bij de vertrouwenspersoon terecht.", []),
    ("Jayden", "Thanks, was wel chill eigenlijk.", []),
]

# ==========================================================================
# 4. Vakcollege Maasoever, studenten commercie/retail, BOL 4, Schiedam
#    txt, Windows-1252
# ==========================================================================
MAASOEVER_COMMERCIE = [
    ("Interviewer", "Goedemorgen allemaal, welkom. Mijn naam is Marloes en ik doe dit gesprek voor de Monitor Integrale Veiligheid. Het is een groepsgesprek van ongeveer drie kwartier.", []),
    ("Lotte", "Goedemorgen.", []),
    ("Interviewer", "Ik neem het op met deze telefoon, alleen het geluid. Daarna wordt het uitgetypt zonder namen en wordt de opname gewist. Jullie hebben allemaal het toestemmingsformulier getekend, toch?", []),
    ("Kevin", "Ja, bij de mentor. Ik ben nog zeventien, dus mijn moeder moest ook tekenen.", []),
    ("Interviewer", "Top. Laat elkaar uitpraten en respecteer dat iedereen een andere mening mag hebben. Je mag altijd zeggen dat je een vraag liever niet beantwoordt. Eerste vraag, hoe is het om hier op school te zitten?", []),
    ("Dewi", "Leuk eigenlijk. Onze klas is echt gezellig, we gaan na school vaak samen naar het café op de hoek.", ["erbij_horen"]),
    ("Mehmet", "Ja, het is een goede klas. Iedereen komt ergens anders vandaan, maar dat maakt niet uit.", ["diversiteit_inclusie"]),
    ("Interviewer", "Hebben jullie weleens meegemaakt dat iemand anders behandeld werd vanwege afkomst of geloof?", []),
    ("Kevin", "Racisme? Nee, dat speelt hier echt niet. Onze klas is juist supergemengd.", ["racisme", "ontkenning"]),
    ("Yasmina", "Nee, niet echt. Hier op school is iedereen wel chill met elkaar.", ["discriminatie", "ontkenning"]),
    ("Lotte", "Ik heb ook nooit iets gezien.", ["discriminatie", "ontkenning"]),
    ("Interviewer", "En grappen? Wordt er weleens een grap gemaakt over iemands achtergrond?", []),
    ("Kevin", "Ja oké, grapjes wel. Maar dat is gewoon humor, dat doet iedereen over iedereen. Mehmet noemt mij ook kaaskop.", ["racisme", "normalisering"]),
    ("Mehmet", "Ja, en jullie mij shoarmaboer. Maar dat is lachen, we kennen elkaar.", ["racisme", "normalisering"]),
    ("Interviewer", "Is het voor iedereen lachen, denk je?", []),
    ("Yasmina", "Eerlijk? Niet altijd. Die racismegrapjes komen vaker van één kant, zeg maar. En als je een keer niet meelacht ben je meteen gevoelig.", ["racisme", "normalisering"]),
    ("Mehmet", "Dat is wel waar eigenlijk. Soms lach ik mee omdat het makkelijker is.", ["racisme", "normalisering"]),
    ("Yasmina", "Ik draag een hoofddoek. In de klas merk ik weinig, maar bij de winkel waar ik wilde stagelopen vroeg de bedrijfsleider in het gesprek of die af kon achter de kassa.", ["stagediscriminatie", "discriminatie_geloof"]),
    ("Interviewer", "Wat heb je toen gezegd?", []),
    ("Yasmina", "Dat dat niet ging. Toen kreeg ik de plek niet. Het stagebureau zei dat ik het maar moest zien als levenservaring.", ["stagediscriminatie", "discriminatie_geloof", "melden_en_steun"]),
    ("Dewi", "Wat erg. Dat wist ik niet eens, en we zitten al twee jaar naast elkaar. Misschien zien wij dat soort dingen gewoon niet.", ["discriminatie"]),
    ("Interviewer", "Kevin, je zei net dat racisme hier niet speelt. Hoe kijk je daar nu naar?", []),
    ("Kevin", "Ja, nee, in de klas vind ik nog steeds van niet. Maar stage is wat anders. Mijn vriend Ayoub deed dezelfde opleiding en heeft drie keer zo lang moeten zoeken als ik. Dus ja.", ["stagediscriminatie", "racisme"]),
    ("Lotte", "Bij ons in de winkel zeggen collega's soms dingen over klanten. Let op die, die jat. Altijd over hetzelfde soort mensen. Ik durf daar niks van te zeggen, ik ben maar de stagiair.", ["vooroordelen", "zelfcensuur"]),
    ("Interviewer", "Merken jullie ook bij docenten dat er verschil wordt gemaakt?", []),
    ("Mehmet", "Niet echt hoor. Nou ja, één docent. Als er iets kwijt is zegt hij altijd, Mehmet, heb jij het? Als grapje. Maar tegen Kevin zegt hij dat nooit.", ["discriminatie_door_personeel", "normalisering"]),
    ("Kevin", "Dat is waar, zo had ik het nooit gezien.", ["discriminatie_door_personeel"]),
    ("Yasmina", "En bij de loopbaangesprekken. Mij werd eerst aangeraden om niveau 3 te doen, terwijl ik gewoon goede cijfers had. Een meisje met lagere cijfers mocht wel meteen door naar 4. Ik heb echt moeten vechten om hier te zitten.", ["gelijke_kansen", "discriminatie_door_personeel"]),
    ("Interviewer", "Waarom denk je dat dat gebeurde?", []),
    ("Yasmina", "Vooroordelen denk ik. Dat ze denken dat meisjes zoals ik toch gaan trouwen en stoppen. Ze zeggen het niet hardop, maar je voelt het.", ["vooroordelen", "gelijke_kansen"]),
    ("Dewi", "Ik heb iets vergelijkbaars gehad, maar dan omdat mijn ouders weinig Nederlands spreken. Op de ouderavond praatte de mentor alleen tegen mij en deed alsof zij er niet zaten.", ["vooroordelen", "erbij_horen"]),
    ("Interviewer", "Hoe is het om in de klas over dit soort onderwerpen te praten?", []),
    ("Lotte", "Lastig. Vorig jaar hadden we bij burgerschap een discussie over Zwarte Piet. Dat ging helemaal mis. Twee meiden voelden zich echt geïntimideerd en zijn de klas uit gelopen.", ["polariserende_discussies"]),
    ("Kevin", "Ik zeg in die lessen gewoon niks meer. Wat je ook zegt, je bent altijd fout. Ze maken er meteen racisem van, of je bent een watje.", ["zelfcensuur", "polariserende_discussies"]),
    ("Mehmet", "Bij de Gaza-discussie was het andersom. Toen durfde ik niet te zeggen wat ik vond, omdat de docent meteen zei dat we het over iets anders gingen hebben. Alsof mijn mening niet mocht.", ["zelfcensuur", "polariserende_discussies"]),
    ("Interviewer", "Dus er zijn onderwerpen waarover je liever je mond houdt?", []),
    ("Yasmina", "Ja, zeker. Geloof, politiek, Israël. Over de verkiezingen had ik ook een mening, maar die heb ik voor me gehouden. Je weet niet wie het doorvertelt.", ["zelfcensuur"]),
    ("Dewi", "Iemand heeft toen een screenshot gemaakt van wat Mehmet in de klassenapp had gezet en dat doorgestuurd naar een andere klas.", ["delen_beelden", "polariserende_discussies"]),
    ("Mehmet", "Ja, daarna kreeg ik allemaal berichten van mensen die ik niet eens kende. Sommige waren echt niet normaal. Ik heb mijn account toen op privé gezet.", ["online_bedreiging", "online_pesten"]),
    ("Interviewer", "Heb je dat gemeld?", []),
    ("Mehmet", "Nee. Bij wie dan? De mentor zei aan het begin van het jaar dat we discrimminatie altijd mogen melden, maar ik wist niet of dit daaronder viel.", ["melden_en_steun", "discriminatie"]),
    ("Lotte", "Trouwens, weten jullie al of die reünie van de brugklas doorgaat? Ik zag het in de app.", []),
    ("Dewi", "Ik ga niet hoor, daar komt mijn ex ook.", []),
    ("Interviewer", "Haha, dat bespreken jullie straks maar. Hebben jullie het gevoel dat iedereen hier dezelfde kansen krijgt?", []),
    ("Kevin", "Eerlijk gezegd dacht ik van wel toen ik hier binnenkwam. Nu ik dit allemaal hoor, twijfel ik. Misschien heb ik het gewoon makkelijker.", ["gelijke_kansen"]),
    ("Dewi", "Er is ook geen enkele docent hier met een hoofddoek. Of überhaupt van kleur, behalve de stagecoördinator.", ["diversiteit_inclusie"]),
    ("Yasmina", "Dat zou wel schelen. Iemand bij wie je je verhaal kwijt kunt zonder dat je eerst alles hoeft uit te leggen.", ["diversiteit_inclusie", "melden_en_steun"]),
    ("Interviewer", "Dank jullie wel. Jullie hebben veel gedeeld en ik hoorde ook een paar goede ideeën. Als je na vandaag ergens mee zit, de vertrouwenspersoon is op dinsdag en donderdag in lokaal 1.12. Fijne dag nog.", []),
    ("Mehmet", "Dank u. Kunnen we dit vaker doen? Dit was eigenlijk best goed.", []),
]

# ==========================================================================
# 5. Vakcollege Maasoever, medewerkers BBL bouw/infra, Rotterdam-Zuid
#    srt, "Name: text" prefix, long cues wrapped over two lines
# ==========================================================================
MAASOEVER_MEDEWERKERS = [
    ("Gespreksleider", "Goedemiddag en welkom bij dit groepsgesprek. We nemen het op met de laptop en de ondertiteling die daaruit komt gebruiken we alleen om het gesprek uit te werken. Niemand wordt met naam genoemd. Is dat voor iedereen in orde?", []),
    ("Medewerker 1", "Ja, dat is goed.", []),
    ("Medewerker 3", "Prima.", []),
    ("Gespreksleider", "Dan de spelregels. We laten elkaar uitpraten, telefoons op stil, en wat collega's hier vertellen blijft binnen deze groep. Willen jullie kort zeggen wat je rol is?", []),
    ("Medewerker 1", "Ik ben docent Nederlands en loopbaanbegeleider bij de BBL-opleidingen bouw en infra.", []),
    ("Medewerker 2", "Praktijkopleider, ik bezoek de leerbedrijven.", []),
    ("Medewerker 3", "Mentor van twee klassen niveau 3, en aandachtsfunctionaris.", []),
    ("Medewerker 4", "ICT-coördinator, en ik geef les in mediawijsheid.", []),
    ("Medewerker 5", "En ik ben de teamleider.", []),
    ("Gespreksleider", "Welkom allemaal. Ik wil beginnen bij het online deel. Wat zien jullie daarin?", []),
    ("Medewerker 4", "Veel. Het grootste probleem zit eigenlijk niet in de les maar daarbuiten. Accounts die worden overgenomen, studenten die hun wachtwoord delen, en dan zit er ineens iemand anders in hun Magister of hun Instagram.", ["oplichting_hacken"]),
    ("Medewerker 3", "En nudes. Dat speelt bij de jongere studenten echt. Een meisje uit mijn klas had een foto gestuurd naar haar vriendje, en na het uitmaken stond die in een groep van tweehonderd man.", ["delen_beelden"]),
    ("Gespreksleider", "Hoe kwam dat bij jou terecht?", []),
    ("Medewerker 3", "Via een vriendin van haar, niet via haarzelf. Zij schaamde zich kapot. We hebben de politie erbij gehaald en de jongen is geschorst. Maar die foto krijg je nooit meer van internet.", ["delen_beelden", "melden_en_steun"]),
    ("Medewerker 5", "En dan de reactie van de rest van de klas. Die zeiden, had ze hem maar niet moeten sturen. Dat vond ik bijna nog erger.", ["delen_beelden", "normalisering"]),
    ("Gespreksleider", "Herkennen de anderen dat?", []),
    ("Medewerker 1", "Ja. Voor jongeren is het bijna normaal dat zoiets rondgaat. Ze halen hun schouders op. Het is gewoon internet, zeggen ze dan.", ["delen_beelden", "normalisering"]),
    ("Medewerker 4", "We hadden ook een student die in een klassenapp een nepbericht rondstuurde, zogenaamd van DUO, met een link om je studiefinanciering te checken. Vijf studenten hebben hun DigiD-gegevens ingevuld.", ["oplichting_hacken"]),
    ("Gespreksleider", "Wow. Wat is er toen gebeurd?", []),
    ("Medewerker 4", "We hebben het opgepakt met de functionaris gegevensbescherming. Maar die student vond zichzelf gewoon slim, hij had geen idee dat het strafbaar was.", ["oplichting_hacken"]),
    ("Medewerker 2", "Op de werkvloer zie je ook dingen. Een leerling bij een bouwbedrijf werd door collega's gefilmd terwijl hij zich omkleedde, en dat ging rond in de bedrijfsapp. Hij is achttien, dus de werkgever zei, dat is een volwassen vent, die kan wel tegen een geintje.", ["delen_beelden", "normalisering"]),
    ("Gespreksleider", "Wat deed jij toen als praktijkopleider?", []),
    ("Medewerker 2", "Ik heb het gesprek gevoerd met de werkgever. Maar ik kan weinig afdwingen, we zijn afhankelijk van die bedrijven. Als ik te hard ben, hebben we volgend jaar geen leerplekken meer.", ["melden_en_steun"]),
    ("Medewerker 5", "Dat is een echt dilemma. Er zijn ook bedrijven die letterlijk zeggen, stuur maar geen meisjes, of liever geen Marokkaan.", ["stagediscriminatie"]),
    ("Gespreksleider", "Hoe gaan jullie daarmee om?", []),
    ("Medewerker 5", "Officieel melden we dat bij het meldpunt stagediscriminatie en plaatsen we daar niemand meer. In de praktijk stuurt een collega dan stilletjes een andere student. Dat is geen goed antwoord, dat weet ik.", ["stagediscriminatie", "melden_en_steun"]),
    ("Medewerker 1", "Dan los je het op voor die ene student maar houd je het systeem in stand. Voor de student die wordt overgeslagen blijven de kansen gewoon kleiner.", ["stagediscriminatie", "gelijke_kansen"]),
    ("Gespreksleider", "Zijn er nog andere manieren waarop studenten niet dezelfde kansen krijgen?", []),
    ("Medewerker 3", "Studenten zonder netwerk. Als je vader aannemer is, heb je zo een BBL-plek. Als je net twee jaar in Nederland bent en geen rijbewijs hebt, wordt het lastig.", ["gelijke_kansen"]),
    ("Medewerker 4", "Ik wil nog iets zeggen over een transgender student van vorig jaar. Online werd ze echt kapotgemaakt. Er gingen oude foto's van voor haar transitie rond, met haar oude naam erbij.", ["lhbtiq", "online_pesten", "delen_beelden"]),
    ("Gespreksleider", "Hoe heeft de school daarop gereageerd?", []),
    ("Medewerker 4", "Te traag, vind ik zelf. Het duurde weken voordat die accounts offline waren. Ze is uiteindelijk naar een andere instelling gegaan.", ["online_pesten", "melden_en_steun"]),
    ("Medewerker 5", "Daar hebben we wel van geleerd. We hebben nu een vaste contactpersoon bij de wijkagent voor online zaken.", ["melden_en_steun"]),
    ("Gespreksleider", "Hoe zit het met discussies in de klas over gevoelige onderwerpen?", []),
    ("Medewerker 1", "Na de verkiezingen had ik een discussie waarin een student zei dat alle buitenlanders het land uit moesten. De helft van de klas heeft een migratieachtergrond. Ik heb het gesprek laten lopen, maar het werd heel grimmig.", ["polariserende_discussies", "racisme"]),
    ("Medewerker 3", "Ik zou daar niet eens aan beginnen. Eerlijk gezegd houd ik mijn eigen mening over dat soort dingen altijd voor me, ook als iemand iets zegt waar ik het totaal niet mee eens ben.", ["zelfcensuur"]),
    ("Medewerker 1", "Maar dan laat je het toch liggen? Dat vind ik ook geen oplossing.", ["zelfcensuur"]),
    ("Medewerker 5", "Dat spanningsveld herken ik. Ik merk het ook in het team, collega's durven niet altijd te zeggen wat ze van elkaars aanpak vinden.", ["zelfcensuur"]),
    ("Gespreksleider", "Voelen jullie je zelf weleens onveilig?", []),
    ("Medewerker 2", "Op bedrijfsbezoek een keer. Een uitvoerder vond dat ik me er te veel mee bemoeide en ging vlak voor mijn gezicht staan schreeuwen. Ik ben weggegaan.", ["verbale_agressie", "bedreiging"]),
    ("Medewerker 4", "Een student heeft gedreigd mijn gegevens te lekken, omdat ik zijn account had geblokkeerd na spam. Hij schreef, ik weet je adres, ik zet het online.", ["online_bedreiging"]),
    ("Medewerker 3", "En vergeet niet dat collega's ook gestalkt worden. Een jonge collega werd door een student op Instagram gevolgd met steeds nieuwe accounts, elke keer nadat ze hem had geblokt.", ["online_bedreiging"]),
    ("Gespreksleider", "Wordt dat soort dingen gemeld?", []),
    ("Medewerker 5", "Steeds vaker. Maar ik schat dat we van de kleine incidenten nog steeds maar een fractie horen. Collega's denken vaak, het hoort bij het vak.", ["melden_en_steun", "normalisering"]),
    ("Medewerker 2", "Wil er nog iemand koffie trouwens? Ik loop even naar de automaat.", []),
    ("Medewerker 1", "Graag, zwart.", []),
    ("Gespreksleider", "Dan nog één afsluitende vraag. Wat moet er volgens jullie als eerste veranderen?", []),
    ("Medewerker 4", "Digitale veiligheid moet in elk leerjaar terugkomen, niet alleen in één workshop in de eerste week.", ["online_veiligheid"]),
    ("Medewerker 2", "Harde afspraken met leerbedrijven, ook als dat leerplekken kost.", ["stagediscriminatie"]),
    ("Medewerker 3", "Ruimte voor ons om fouten te maken in lastige gesprekken, zonder dat je meteen gefilmd wordt.", ["discussies_met_gevolgen"]),
    ("Gespreksleider", "Dank jullie wel voor dit gesprek. De samenvatting komt via de teamleider bij jullie terug.", []),
]

# ==========================================================================
# 6. Techniek College Twentehof, studenten installatietechniek, BBL 3, Hengelo
#    vtt, Zoom style, numbered cues and "Name: text" prefixes
# ==========================================================================
TWENTEHOF_INSTALLATIE = [
    ("Marloes Peters", "Hoi allemaal, kunnen jullie me achterin goed horen? Welkom. Ik ben Marloes, onderzoeker, en we gaan het vandaag hebben over veiligheid op school en op jullie werk.", []),
    ("Bas", "Ja, prima te horen.", []),
    ("Marloes Peters", "Dit gesprek wordt opgenomen via Zoom, omdat een collega van mij online meeluistert. De opname gebruiken we alleen om het gesprek uit te schrijven, daarna wordt hij verwijderd. Is iedereen daarmee akkoord? Je mag ook nee zeggen.", []),
    ("Sem", "Ja, is goed.", []),
    ("Kayleigh", "Akkoord.", []),
    ("Marloes Peters", "Fijn. Een paar afspraken. We laten elkaar uitpraten, er is geen goed of fout, en wat hier gezegd wordt gaat niet mee naar buiten. Jullie zitten in de BBL, dus vier dagen aan het werk en een dag hier. Waar voelen jullie je het meest thuis?", []),
    ("Tim", "Op het werk. Hier ben je maar één dag, je kent bijna niemand buiten je eigen klas.", ["erbij_horen"]),
    ("Ilias", "Bij mij ook. Op het werk hoor je erbij, je bent gewoon een van de mannen.", ["erbij_horen"]),
    ("Kayleigh", "Nou, een van de mannen. Ik ben de enige vrouw op mijn bouwplaats, dus bij mij ligt dat anders.", ["erbij_horen", "gelijke_kansen"]),
    ("Marloes Peters", "Hoe merk je dat?", []),
    ("Kayleigh", "De eerste weken werd ik de hele dag aangestaard. En als ik de steiger op ging werd er gefloten. Dat doen ze nu minder, ze zijn aan me gewend. En ik aan hen eigenlijk ook.", ["nastaren_nafluiten", "normalisering"]),
    ("Bas", "Dat is toch ook gewoon de bouw. Daar moet je als meisje tegen kunnen.", ["nastaren_nafluiten", "normalisering"]),
    ("Kayleigh", "Ja, dat zegt iedereen. Maar er hing in de schaftkeet ook een kalender met blote vrouwen, en dan vroegen ze of ik daar ook voor wilde poseren.", ["seksuele_opmerkingen"]),
    ("Marloes Peters", "Hoe voelde dat?", []),
    ("Kayleigh", "Ongemakkelijk. Ik lachte mee, anders ben je de zeur. Pas toen een uitvoerder me een keer bij mijn middel pakte om me opzij te zetten, heb ik het tegen mijn praktijkopleider gezegd. Dat was voor mij echt over de grens.", ["seksuele_opmerkingen", "normalisering", "ongewenste_aanraking", "melden_en_steun"]),
    ("Tim", "Serieus? Dat wist ik niet. Dat is eigenlijk best ziek.", ["ongewenste_aanraking"]),
    ("Marloes Peters", "Wat gebeurde er toen je het had gemeld?", []),
    ("Kayleigh", "Mijn praktijkopleider heeft het bedrijf gebeld en die uitvoerder is op een ander project gezet. Maar de jongens wisten dat ik het gemeld had, en daarna was het wel even lastig.", ["melden_en_steun"]),
    ("Marloes Peters", "Hoe gaan jullie onderling met elkaar om, op het werk of hier?", []),
    ("Sem", "Gewoon, hard. Veel geouwehoer, veel grappen. Homo, mongool, dat soort woorden hoor je de hele dag. Niemand bedoelt het echt.", ["lhbtiq_uitschelden", "verbale_agressie", "normalisering"]),
    ("Ilias", "En racismegrapjes. Ik word de hele dag Ali B genoemd, of ze vragen of ik bommen kan maken. Dat is dan lachen.", ["racisme", "normalisering"]),
    ("Marloes Peters", "En is het voor jou ook lachen?", []),
    ("Ilias", "Meestal wel. Soms ben ik het wel zat. Maar als je er iets van zegt ben je een huilie en wordt het alleen erger. Dus je houdt je mond.", ["racisme", "zelfcensuur"]),
    ("Bas", "Het is echt niet zo bedoeld man, Ilias. Je bent gewoon een van ons.", ["racisme", "normalisering", "erbij_horen"]),
    ("Ilias", "Weet ik, Bas. Maar het is wel mijn naam die ze erin stoppen, niet de jouwe.", ["racisme"]),
    ("Marloes Peters", "Stel dat iemand in jullie klas vertelt dat hij op mannen valt. Hoe zou dat gaan?", []),
    ("Tim", "Dat zou hij echt niet doen. Niet in deze klas.", ["lhbtiq_openheid"]),
    ("Sem", "Ik denk dat niemand er iets van zou zeggen, maar hij krijgt wel meteen een bijnaam. Dat is het risico.", ["lhbtiq_openheid", "lhbtiq_uitschelden"]),
    ("Bas", "Bij ons op de zaak werkt een monteur die met een man getrouwd is. Daar wordt achter zijn rug wel om gelachen. In zijn gezicht niet, want hij is de beste van het bedrijf.", ["lhbtiq"]),
    ("Marloes Peters", "Is er weleens geweld, ruzie die uit de hand loopt?", []),
    ("Sem", "In de werkplaats hier een keer. Twee jongens kregen ruzie over een boormachine en eentje gooide een waterpas. Raakte die ander op zijn schouder.", ["fysiek_geweld"]),
    ("Tim", "Dat was echt dom. De docent stond erbij en deed niks, die zei alleen, jongens, rustig.", ["fysiek_geweld", "melden_en_steun"]),
    ("Bas", "Die man is ook bijna met pensioen. Die gaat echt geen ruzie meer uit elkaar halen.", []),
    ("Marloes Peters", "Zijn er discussies in de les waarbij het weleens botst?", []),
    ("Ilias", "Over Palestina, ja. Bij Nederlands moesten we een betoog houden over iets uit het nieuws. Iemand koos Israël en toen werd het echt een ding in de klas. Ik heb maar niks gezegd.", ["polariserende_discussies", "zelfcensuur"]),
    ("Kayleigh", "Sindsdien is de groepsapp ook ineens in twee kampen verdeeld. Het is echt raar geworden.", ["polariserende_discussies"]),
    ("Sem", "Ik heb eigenlijk geen mening over dat soort dingen. Ik kom hier om te leren lassen.", []),
    ("Tim", "Mag ik trouwens om kwart voor vier weg? Ik moet morgen om zes uur in Almelo op de bouw staan.", []),
    ("Marloes Peters", "Dat moet lukken. Hoe lang ben je dan onderweg?", []),
    ("Tim", "Met de auto van mijn maat drie kwartier. Als hij ziek is anderhalf uur, met twee bussen.", []),
    ("Bas", "Ik heb geluk, mijn werk is om de hoek. Alleen als FC Twente thuis speelt staat alles vast.", []),
    ("Marloes Peters", "Terug naar school. Als er iets gebeurt, bij wie gaan jullie dan?", []),
    ("Sem", "Niemand. Je lost het zelf op of je laat het gaan.", ["melden_en_steun"]),
    ("Kayleigh", "Mijn praktijkopleider, zoals ik zei. Die heeft me echt gesteund. Maar ik weet niet of ik het nog een keer zou doen, door hoe de jongens reageerden.", ["melden_en_steun"]),
    ("Ilias", "Ik weet eerlijk gezegd niet eens wie hier de vertrouwenspersoon is. We zijn hier maar één dag per week.", ["melden_en_steun"]),
    ("Marloes Peters", "Laatste vraag. Wat moet de school of je bedrijf doen zodat iedereen zich er thuis voelt?", []),
    ("Kayleigh", "Meer vrouwen in de bouw, dan ben je niet meer de uitzondering.", ["diversiteit_inclusie", "gelijke_kansen"]),
    ("Ilias", "Dat ze ook met de bedrijven praten over die grappen. Niet alleen met ons.", ["racisme"]),
    ("Bas", "Ik vond het eigenlijk een goed gesprek. Ik ga wel beter opletten wat ik zeg.", []),
    ("Marloes Peters", "Dank jullie wel, dit helpt ons echt verder. Succes morgen op het werk allemaal.", []),
]

# ==========================================================================
# 7. Techniek College Twentehof, studenten ICT, BOL 4, Enschede
#    docx, bold speaker run + normal utterance run
# ==========================================================================
TWENTEHOF_ICT = [
    ("Gespreksleider", "Welkom allemaal, leuk dat jullie mee willen doen. Ik ben Anouk. We praten vandaag ongeveer een uur over veiligheid, op school en online.", []),
    ("Daan", "Online is wel ons vak, dus dat komt goed.", []),
    ("Gespreksleider", "Haha, mooi. Ik neem het gesprek op met deze recorder. Alleen ik en mijn collega luisteren het terug, en in het verslag staan geen namen. Je mag altijd stoppen of een vraag overslaan. Zijn jullie akkoord?", []),
    ("Mila", "Ja.", []),
    ("Robin", "Ja, akkoord. Mag ik nog iets zeggen voor het verslag? Ik gebruik hen en die.", []),
    ("Gespreksleider", "Goed dat je het zegt, dat neem ik mee. Dan begin ik maar. Hoe veilig voelen jullie je hier op school?", []),
    ("Luuk", "Hier? Heel veilig eigenlijk. Het is een rustige opleiding, iedereen zit achter zijn laptop. Vechten gebeurt hier niet.", ["agressie_geweld"]),
    ("Fatima", "Ja, fysiek is het hier heel rustig. Het zit hem meer in de chats.", ["online_veiligheid"]),
    ("Gespreksleider", "Wat bedoel je daarmee?", []),
    ("Fatima", "Discord, de klassenserver. Er zijn kanalen waar de docenten niet in zitten. Daar wordt echt van alles gezegd, memes over vrouwen in de ICT, dat soort dingen.", ["online_pesten", "vooroordelen"]),
    ("Mila", "Wij zijn met vier meiden in een klas van zesentwintig. Als je in een call iets zegt, roept er meteen iemand, ga jij maar koffie halen. Als grapje dan.", ["vooroordelen", "gelijke_kansen", "normalisering"]),
    ("Daan", "Dat zijn echt maar een paar gasten hoor. De meeste mensen vinden dat ook cringe.", ["vooroordelen"]),
    ("Mila", "Maar niemand zegt er iets van. Dat is het punt.", ["vooroordelen"]),
    ("Gespreksleider", "Is er weleens iets gebeurd met beelden, foto's of filmpjes?", []),
    ("Luuk", "Vorig jaar had iemand een deepfake gemaakt van een meisje uit de eerstejaars. Haar gezicht op een naaktfoto. Ging rond via Snap.", ["delen_beelden", "seksueel_grensoverschrijdend"]),
    ("Fatima", "Dat was echt heftig. Ze is dagen niet op school geweest. En de jongen die het gemaakt had zei, het is toch nep, wat maakt het uit.", ["delen_beelden", "normalisering"]),
    ("Gespreksleider", "Hoe heeft de school daarop gereageerd?", []),
    ("Luuk", "De jongen is geschorst. Er kwam een mail naar alle studenten dat het strafbaar is. Dat was het wel.", ["delen_beelden", "melden_en_steun"]),
    ("Robin", "Sextortion is ook echt iets. Iemand uit mijn vorige klas werd op Insta benaderd door een account van zogenaamd een leuk meisje. Hij stuurde nudes en daarna moest hij vijfhonderd euro betalen, anders kregen al zijn volgers ze te zien.", ["online_bedreiging", "oplichting_hacken", "delen_beelden"]),
    ("Gespreksleider", "Heeft hij hulp gezocht?", []),
    ("Robin", "Pas na een week, bij zijn mentor. Hij schaamde zich dood. Hij had toen al tweehonderd euro betaald.", ["melden_en_steun", "oplichting_hacken"]),
    ("Daan", "Wij hebben in het eerste jaar geleerd hoe je dat soort accounts herkent. Maar ja, als je in paniek bent denk je daar niet aan.", ["online_veiligheid"]),
    ("Gespreksleider", "En jullie zelf, zijn jullie weleens gehackt of opgelicht?", []),
    ("Daan", "Mijn Steam-account is gehackt. Iemand uit de klas had een nep-loginpagina gebouwd als geintje. Ik vond het eigenlijk best knap, eerlijk gezegd.", ["oplichting_hacken", "normalisering"]),
    ("Mila", "Jij vindt dat knap, maar bij mij hebben ze met zo'n geintje mijn Instagram overgenomen en berichten naar al mijn contacten gestuurd. Dat was helemaal niet grappig.", ["oplichting_hacken"]),
    ("Fatima", "Hacken wordt hier echt als sport gezien. Ze proberen elkaars accounts, en ook die van docenten.", ["oplichting_hacken", "normalisering"]),
    ("Gespreksleider", "Voelen jullie je weleens gevolgd of lastiggevallen online?", []),
    ("Mila", "Ja, een jongen uit een andere klas bleef me stalken na een project. Elke keer een nieuw account als ik hem blokte. Hij wist ook wanneer ik vrij was, dat zag hij aan mijn rooster.", ["online_bedreiging"]),
    ("Gespreksleider", "Hoe ben je daarmee omgegaan?", []),
    ("Mila", "Mijn vader heeft aangifte gedaan. Op school zeiden ze dat het buiten school gebeurde, dus dat ze er niet zoveel mee konden. Daar was ik echt boos om.", ["melden_en_steun", "online_bedreiging"]),
    ("Gespreksleider", "Robin, je zei aan het begin dat je hen en die gebruikt. Hoe gaat dat hier?", []),
    ("Robin", "Wisselend. Mijn klas doet het best goed, sommigen vergissen zich nog weleens. Maar er is één docent die het gewoon weigert. Die zegt elke keer hij, en kijkt me er dan bij aan.", ["lhbtiq_openheid", "discriminatie_door_personeel"]),
    ("Luuk", "Dat is echt niet oké. Ik heb het ook gemerkt, het is expres.", ["discriminatie_door_personeel", "lhbtiq"]),
    ("Robin", "En in de gang wordt er soms geroepen, wat ben jij nou eigenlijk. Dan loop ik gewoon door.", ["lhbtiq_uitschelden"]),
    ("Gespreksleider", "Heb je dat met iemand besproken?", []),
    ("Robin", "Met de vertrouwenspersoon. Die was heel aardig, maar zei dat die docent het misschien niet zo bedoelt. Daarna heb ik het laten rusten.", ["melden_en_steun", "discriminatie_door_personeel"]),
    ("Gespreksleider", "Ik wil ook iets vragen over discussies in de klas. Zijn er onderwerpen waarbij het lastig wordt?", []),
    ("Daan", "Politiek. Bij burgerschap vroeg de docent wie op welke partij ging stemmen. Eén jongen zei PVV en die werd de rest van de dag uitgelachen.", ["polariserende_discussies"]),
    ("Fatima", "En andersom zeggen sommige jongens dingen over moslims waar ik niet op reageer. Als ik iets zeg, gaat het meteen over mijn hoofddoek. Dus ik zwijg.", ["zelfcensuur", "discriminatie_geloof"]),
    ("Luuk", "Ik zeg eigenlijk nooit wat ik echt vind in de klas. Het wordt toch gescreenshot en dan sta je in een of ander kanaal.", ["zelfcensuur", "delen_beelden"]),
    ("Gespreksleider", "Herkennen de anderen dat?", []),
    ("Mila", "Ja. Alles kan worden opgenomen, dus je bent voorzichtig.", ["zelfcensuur"]),
    ("Daan", "Trouwens, weet iemand of de kantine na vieren nog open is? Ik heb echt honger.", []),
    ("Luuk", "Nee, om drie uur dicht. Je moet naar de Jumbo.", []),
    ("Gespreksleider", "Jullie krijgen zo iets te eten. Tot slot, vinden jullie dat iedereen hier even welkom is?", []),
    ("Fatima", "In de klas wel, ik voel me hier gewoon thuis. Maar ik zou het fijn vinden als er meer vrouwelijke docenten waren bij ICT. Ik heb er één gehad in drie jaar.", ["erbij_horen", "diversiteit_inclusie"]),
    ("Robin", "Bij mijn klas voel ik me welkom. Bij de school als geheel nog niet helemaal.", ["erbij_horen", "lhbtiq_openheid"]),
    ("Daan", "Ik denk dat het best goed gaat. Maar ik ben natuurlijk een witte jongen die van gamen houdt, ik pas hier precies in.", ["erbij_horen", "gelijke_kansen"]),
    ("Gespreksleider", "Dank jullie wel voor dit eerlijke gesprek. Als je na vandaag nog iets wilt delen, mijn mailadres staat op het formulier. En nu snel naar de pizza.", []),
]

# ==========================================================================
# 8. Techniek College Twentehof, medewerkers techniek, Enschede
#    txt, UTF-8, blank lines between turns, one turn continued on an
#    unlabeled line ("\n" inside an utterance marks the continuation)
# ==========================================================================
TWENTEHOF_MEDEWERKERS = [
    ("Gespreksleider", "Goedemorgen allemaal, welkom. Ik ben Marloes Peters en ik begeleid dit gesprek. Het doel is om te horen hoe jullie de veiligheid op deze locatie ervaren, voor studenten en voor jezelf.", []),
    ("R1", "Goedemorgen.", []),
    ("Gespreksleider", "Voordat we beginnen, ik neem het gesprek op met een recorder. De opname wordt uitgewerkt zonder namen en daarna vernietigd. Jullie hebben het toestemmingsformulier gekregen, heeft iedereen het getekend?", []),
    ("R3", "Ja, ik heb het net bij jou ingeleverd.", []),
    ("Gespreksleider", "Dank je. Wat hier gezegd wordt blijft in deze kamer. En spreek vanuit je eigen ervaring, niet namens je team. Laten we een rondje doen, wat is jullie functie?", []),
    ("R1", "Docent elektrotechniek, al twintig jaar.", []),
    ("R2", "Studentbegeleider, ik doe ook de verzuimgesprekken.", []),
    ("R3", "Docent burgerschap en Nederlands.", []),
    ("R4", "Conciërge en BHV'er.", []),
    ("R5", "Teamleider techniek, sinds dit schooljaar.", []),
    ("Gespreksleider", "Welkom. Als je terugdenkt aan de afgelopen maanden, wat valt je dan op als het gaat om veiligheid?", []),
    ("R1", "Eerlijk gezegd vind ik dat het bij ons op techniek erg meevalt. Discriminatie of zo, dat speelt hier niet, de jongens kijken alleen of je goed kunt solderen.", ["discriminatie", "ontkenning"]),
    ("R3", "Dat zie ik toch anders. In mijn lessen hoor ik best veel. Ik had laatst een opdracht over je eigen levensverhaal en een jongen schreef dat hij op zijn stageadres nooit alleen in de kantine mocht blijven, omdat ze bang waren dat hij iets zou meenemen.", ["stagediscriminatie", "vooroordelen"]),
    ("R1", "Dat gaat over het stagebedrijf, niet over ons.", ["stagediscriminatie", "ontkenning"]),
    ("R2", "Maar het zijn wel onze studenten. En bij de verzuimgesprekken hoor ik ook dat studenten wegblijven omdat ze zich niet welkom voelen. Een meisje zei, ik ben de enige met een hoofddoek op de afdeling en iedereen kijkt als ik binnenkom.", ["discriminatie_geloof", "erbij_horen"]),
    ("Gespreksleider", "Hoe komt zo'n verhaal bij de rest van het team binnen?", []),
    ("R5", "Heel wisselend. Er zijn collega's die het meteen oppakken en collega's die zeggen, ze moeten niet zo zeuren. Dat hoorde ik vorige week letterlijk in de personeelskamer.", ["discriminatie_door_personeel", "normalisering"]),
    ("R1", "Misschien was dat ik wel. Ik bedoel het niet zo, maar ik ben opgegroeid in een tijd dat je gewoon je mond hield en doorwerkte.", ["discriminatie", "normalisering"]),
    ("Gespreksleider", "Dank je voor je eerlijkheid. Hoe zit het met agressie op deze locatie?", []),
    ("R4", "Valt mee, maar niet altijd. In oktober heb ik twee jongens uit elkaar moeten halen bij de fietsenstalling. Eentje had een boksbeugel in zijn zak. Die hebben we in beslag genomen en we hebben de politie gebeld.", ["fysiek_geweld", "wapens"]),
    ("R5", "En de ouders. Vorige maand stond een moeder bij de balie te schreeuwen dat ze me zou laten ontslaan en dat ze wist waar ik woonde. Omdat haar zoon geschorst was.", ["verbale_agressie", "bedreiging"]),
    ("R2", "Dat soort dingen gebeuren vaker dan mensen denken. Ik krijg ook mails van ouders die echt niet meer normaal zijn, in hoofdletters en met uitroeptekens. En als je terugbelt is het, u heeft het op mijn kind gemunt.", ["verbale_agressie"]),
    ("Gespreksleider", "Voelen jullie je gesteund als dit gebeurt?", []),
    ("R4", "Door de directe collega's wel. Van boven hoor je vaak weinig. Ik heb die boksbeugel gemeld en ik weet tot op de dag van vandaag niet wat ermee gebeurd is.", ["melden_en_steun", "wapens"]),
    ("R5", "Dat is een terecht punt. We zijn nu bezig met betere terugkoppeling na een melding. Maar dat kost tijd.", ["melden_en_steun"]),
    ("Gespreksleider", "Ik wil ook vragen naar grensoverschrijdend gedrag van seksuele aard. Zien jullie dat?", []),
    ("R3", "Ja. Ik ben een van de weinige vrouwen in dit gebouw. Studenten kijken me aan op een manier die ik op geen andere school heb meegemaakt, van boven naar beneden, heel langzaam.\nEn als ik door de werkplaats loop wordt er gefloten, of iemand roept iets over mijn rok. Ik heb geleerd om het te negeren, anders kom je de dag niet door.", ["nastaren_nafluiten", "normalisering"]),
    ("R1", "Dat wist ik niet. Is dat in mijn werkplaats?", ["nastaren_nafluiten"]),
    ("R3", "Ook in de jouwe, ja. Als jij even weg bent.", ["nastaren_nafluiten"]),
    ("R2", "Bij de meisjes in de klassen speelt het ook. Er zitten een paar meisjes bij installatietechniek en die worden nagefloten en aangeraakt, bij het langslopen een hand op hun billen. Ze zeggen zelf dat het erbij hoort als je voor deze richting kiest.", ["nastaren_nafluiten", "ongewenste_aanraking", "normalisering"]),
    ("Gespreksleider", "Wat doen jullie als je dat ziet of hoort?", []),
    ("R5", "Aanraken is een grens, daar treden we op. Een gesprek met de student, ouders erbij, en bij herhaling een schorsing.", ["ongewenste_aanraking", "melden_en_steun"]),
    ("R3", "Maar het nafluiten dus niet. Daar is geen regel voor, en dus gebeurt er niks.", ["nastaren_nafluiten", "normalisering"]),
    ("Gespreksleider", "Hoe zit het met studenten die lhbti zijn? Is dat bespreekbaar?", []),
    ("R2", "Weinig studenten komen ervoor uit, bij techniek. Ik ken er twee, en die hebben het alleen aan mij verteld, niet aan hun klas.", ["lhbtiq_openheid"]),
    ("R4", "Het woord homo hoor ik twintig keer per dag op de gang, als scheldwoord. Ik zeg er vaak wat van, maar je krijgt alleen een lachje terug.", ["lhbtiq_uitschelden"]),
    ("R5", "In het team is ook discussie geweest over een genderneutrale wc. Dat werd heel fel, er waren collega's die het flauwekul vonden. De student om wie het ging heeft dat via via gehoord.", ["lhbtiq", "polariserende_discussies"]),
    ("Gespreksleider", "Zijn er meer onderwerpen die in het team of in de klas tot spanning leiden?", []),
    ("R3", "Zwarte Piet, elk jaar in november. Vorige week hing er in de personeelskamer weer zwartepietversiering en een collega van kleur heeft die weggehaald. Daarna werd er een week lang nauwelijks met haar gepraat.", ["polariserende_discussies", "erbij_horen"]),
    ("R1", "Dat vond ik overdreven van haar. Het is een kinderfeest.", ["polariserende_discussies"]),
    ("R3", "Zie je, en daar gaat het dus al mis. Ik zeg in de personeelskamer eigenlijk nooit meer wat ik vind.", ["zelfcensuur", "polariserende_discussies"]),
    ("Gespreksleider", "Ik merk dat dit gevoelig ligt. Laten we het hier even bij laten.", []),
    ("R4", "Mag ik tussendoor melden dat de parkeerplaats achter vanaf maandag dicht is vanwege de verbouwing? Dan moeten jullie bij de sporthal parkeren.", []),
    ("R5", "Dank je, dat had eigenlijk in de nieuwsbrief moeten staan.", []),
    ("Gespreksleider", "Tot slot. Hoe divers is het team, en maakt dat uit voor de veiligheid van studenten?", []),
    ("R2", "Het team is heel wit en heel mannelijk. Studenten met een migratieachtergrond zien hier niemand die op hen lijkt. Dat maakt de drempel om iets te melden hoger, denk ik.", ["diversiteit_inclusie", "melden_en_steun"]),
    ("R1", "Ik heb vandaag wel dingen gehoord die ik niet wist. Misschien speelt er meer dan ik dacht.", ["discriminatie"]),
    ("R5", "Daarom is zo'n gesprek goed. Ik ga voorstellen dat we dit in het team vaker doen.", []),
    ("Gespreksleider", "Hartelijk dank voor jullie openheid. Ik werk het gesprek uit en stuur de teamleider een geanonimiseerde samenvatting. De koffie en de koekjes staan nog achterin.", []),
]


EXAMPLES = [
    Example("kempenhorst_zorg_studenten", "txt",
            dict(institution="ROC Kempenhorst", group="studenten", leerweg="BOL",
                 niveau="3", locatie="Eindhoven", datum="2023-11-07", moderator="AB"),
            "Gespreksleider", KEMPENHORST_ZORG,
            dict(encoding="utf-8-sig", newline="\r\n")),
    Example("kempenhorst_medewerkers", "docx",
            dict(institution="ROC Kempenhorst", group="medewerkers", leerweg="BOL",
                 niveau="2", locatie="Helmond", datum="2023-11-21", moderator="SdV"),
            "Gespreksleider", KEMPENHORST_MEDEWERKERS,
            dict(style="plain")),
    Example("maasoever_logistiek_studenten", "vtt",
            dict(institution="Vakcollege Maasoever", group="studenten", leerweg="BOL",
                 niveau="2", locatie="Rotterdam-Zuid", datum="2023-11-14", moderator="JH"),
            "Joost Hendriks", MAASOEVER_LOGISTIEK,
            dict(style="voice")),
    Example("maasoever_commercie_studenten", "txt",
            dict(institution="Vakcollege Maasoever", group="studenten", leerweg="BOL",
                 niveau="4", locatie="Schiedam", datum="2023-11-28", moderator="MP"),
            "Interviewer", MAASOEVER_COMMERCIE,
            dict(encoding="cp1252", newline="\r\n")),
    Example("maasoever_medewerkers", "srt",
            dict(institution="Vakcollege Maasoever", group="medewerkers", leerweg="BBL",
                 niveau="3", locatie="Rotterdam-Zuid", datum="2023-12-05", moderator="JH"),
            "Gespreksleider", MAASOEVER_MEDEWERKERS, {}),
    Example("twentehof_installatie_studenten", "vtt",
            dict(institution="Techniek College Twentehof", group="studenten", leerweg="BBL",
                 niveau="3", locatie="Hengelo", datum="2023-11-16", moderator="MP"),
            "Marloes Peters", TWENTEHOF_INSTALLATIE,
            dict(style="prefix")),
    Example("twentehof_ict_studenten", "docx",
            dict(institution="Techniek College Twentehof", group="studenten", leerweg="BOL",
                 niveau="4", locatie="Enschede", datum="2023-12-12", moderator="AB"),
            "Gespreksleider", TWENTEHOF_ICT,
            dict(style="bold")),
    Example("twentehof_medewerkers", "txt",
            dict(institution="Techniek College Twentehof", group="medewerkers", leerweg="BBL",
                 niveau="2", locatie="Enschede", datum="2023-12-07", moderator="MP"),
            "Gespreksleider", TWENTEHOF_MEDEWERKERS,
            dict(encoding="utf-8", newline="\n", blank_lines=True)),
]


# --------------------------------------------------------------------------
# Validation of the data itself
# --------------------------------------------------------------------------
def validate(ex: Example) -> None:
    where = ex.name
    assert ex.turns, where
    for i, (spk, text, codes) in enumerate(ex.turns):
        loc = f"{where} turn {i}"
        assert spk and text.strip(), loc
        assert ":" not in text, f"{loc}: colon in utterance would look like a label"
        assert "-->" not in text and '"' not in text, loc
        assert text == text.strip() and "  " not in text, f"{loc}: stray whitespace"
        if "\n" in text:
            assert ex.fmt == "txt", f"{loc}: continuation lines only in txt"
            assert all(part.strip() for part in text.split("\n")), loc
        for c in codes:
            assert c in PARENT, f"{loc}: unknown code {c!r}"
        assert len(set(codes)) == len(codes), f"{loc}: duplicate code"
        if spk == ex.moderator_label:
            assert not codes, f"{loc}: moderator turns are never coded"
        if i:
            assert spk != ex.turns[i - 1][0], \
                f"{loc}: same speaker as previous turn would merge into one turn"
    assert any(s == ex.moderator_label for s, _, _ in ex.turns), where
    if ex.options.get("encoding") == "cp1252":
        for _, text, _ in ex.turns:
            text.encode("cp1252")  # raises if a character does not fit


# --------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------
def write_txt(ex: Example, path: Path) -> None:
    opts = ex.options
    lines: list[str] = []
    for spk, text, _ in ex.turns:
        first, *rest = text.split("\n")
        lines.append(f"{spk}: {first}")
        lines.extend(rest)  # unlabeled continuation line(s)
        if opts.get("blank_lines"):
            lines.append("")
    while lines and not lines[-1]:
        lines.pop()
    nl = opts.get("newline", "\n")
    data = nl.join(lines) + nl
    path.write_bytes(data.encode(opts.get("encoding", "utf-8")))


def write_docx(ex: Example, path: Path) -> None:
    doc = docx.Document()
    cp = doc.core_properties
    cp.title = f"Focusgroep {ex.meta['institution']} ({ex.meta['group']})"
    cp.author = ex.meta["moderator"]
    cp.comments = "Fictief voorbeeldtranscript, gegenereerd door scripts/build_examples.py"
    stamp = datetime.fromisoformat(ex.meta["datum"]).replace(hour=16, tzinfo=timezone.utc)
    cp.created = cp.modified = stamp
    cp.last_modified_by = ex.meta["moderator"]
    for spk, text, _ in ex.turns:
        if ex.options.get("style") == "bold":
            p = doc.add_paragraph()
            p.add_run(f"{spk}:").bold = True
            p.add_run(f" {text}")
        else:
            doc.add_paragraph(f"{spk}: {text}")
    doc.save(str(path))
    _reproducible_zip(path, stamp.timetuple()[:6])


def _reproducible_zip(path: Path, date_time: tuple) -> None:
    """Rewrite the docx zip with fixed entry timestamps so that rebuilding
    the examples gives byte-identical files (clean diffs in git)."""
    with zipfile.ZipFile(path) as zin:
        entries = [(i.filename, zin.read(i.filename)) for i in zin.infolist()]
    with zipfile.ZipFile(path, "w") as zout:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, data, compresslevel=9)


SENT_SPLIT = re.compile(r"(?<=[.?!])\s+")


def cue_chunks(text: str, max_words: int = 16, max_cues: int = 3) -> list[str]:
    """Split one turn into 1-3 caption cues at sentence boundaries."""
    sents = SENT_SPLIT.split(text.replace("\n", " "))
    chunks: list[str] = []
    for s in sents:
        if chunks and len((chunks[-1] + " " + s).split()) <= max_words:
            chunks[-1] += " " + s
        else:
            chunks.append(s)
    while len(chunks) > max_cues:  # merge the shortest neighbouring pair
        j = min(range(len(chunks) - 1),
                key=lambda k: len(chunks[k].split()) + len(chunks[k + 1].split()))
        chunks[j:j + 2] = [chunks[j] + " " + chunks[j + 1]]
    return chunks


def timed_cues(ex: Example) -> list[tuple[float, float, str, str]]:
    """(start, end, speaker, text) for every cue; deterministic timings."""
    rng = random.Random(ex.name)
    t = 1.0 + rng.random()
    cues = []
    for spk, text, _ in ex.turns:
        for chunk in cue_chunks(text):
            dur = max(1.2, len(chunk.split()) * rng.uniform(0.33, 0.42))
            cues.append((t, t + dur, spk, chunk))
            t += dur + rng.uniform(0.02, 0.15)
        t += rng.uniform(0.4, 1.6)  # pause between speakers
    return cues


def ts(sec: float, sep: str) -> str:
    ms = int(round(sec * 1000))
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def write_vtt(ex: Example, path: Path) -> None:
    out = ["WEBVTT", ""]
    guid = uuid.UUID(hashlib.md5(ex.name.encode()).hexdigest())
    for n, (a, b, spk, text) in enumerate(timed_cues(ex), start=1):
        if ex.options.get("style") == "voice":  # Microsoft Teams export
            out.append(f"{guid}/{n + 11}-0")
            out.append(f"{ts(a, '.')} --> {ts(b, '.')}")
            out.append(f"<v {spk}>{text}</v>")
        else:  # Zoom export
            out.append(str(n))
            out.append(f"{ts(a, '.')} --> {ts(b, '.')}")
            out.append(f"{spk}: {text}")
        out.append("")
    path.write_text("\n".join(out), encoding="utf-8", newline="\n")


def wrap2(text: str, width: int = 62) -> list[str]:
    """Subtitle-style wrap over at most two lines."""
    if len(text) <= width:
        return [text]
    words = text.split(" ")
    best = min(range(1, len(words)),
               key=lambda k: abs(len(" ".join(words[:k])) - len(" ".join(words[k:]))))
    return [" ".join(words[:best]), " ".join(words[best:])]


def write_srt(ex: Example, path: Path) -> None:
    out = []
    for n, (a, b, spk, text) in enumerate(timed_cues(ex), start=1):
        out.append(str(n))
        out.append(f"{ts(a, ',')} --> {ts(b, ',')}")
        out.extend(wrap2(f"{spk}: {text}"))
        out.append("")
    path.write_text("\n".join(out), encoding="utf-8", newline="\n")


WRITERS = {"txt": write_txt, "docx": write_docx, "vtt": write_vtt, "srt": write_srt}


# --------------------------------------------------------------------------
# Independent read-back: proves that turn N in the file is turn N in the data
# --------------------------------------------------------------------------
LABEL = re.compile(r"^([^:]{1,40}):\s+(.*)$")


def read_txt(path: Path, encoding: str) -> list[tuple[str, str]]:
    raw = path.read_bytes().decode(encoding)
    turns: list[list[str]] = []
    for line in raw.splitlines():
        if not line.strip():
            continue
        m = LABEL.match(line)
        if m:
            turns.append([m.group(1), m.group(2)])
        else:
            turns[-1][1] += "\n" + line
    return [(s, t) for s, t in turns]


def read_docx(path: Path) -> list[tuple[str, str]]:
    out = []
    for p in docx.Document(str(path)).paragraphs:
        if not p.text.strip():
            continue
        m = LABEL.match(p.text)
        out.append((m.group(1), m.group(2)))
    return out


def read_cues(path: Path) -> list[tuple[str, str]]:
    """Parse vtt or srt cues; merge consecutive cues of the same speaker."""
    blocks = path.read_text(encoding="utf-8").strip().split("\n\n")
    turns: list[tuple[str, str]] = []
    for block in blocks:
        lines = block.split("\n")
        if lines[0].startswith("WEBVTT"):
            continue
        k = next(i for i, ln in enumerate(lines) if "-->" in ln)
        text = " ".join(lines[k + 1:])
        m = re.fullmatch(r"<v ([^>]+)>(.*)</v>", text) or LABEL.match(text)
        spk, body = m.group(1), m.group(2)
        if turns and turns[-1][0] == spk:
            turns[-1] = (spk, turns[-1][1] + " " + body)
        else:
            turns.append((spk, body))
    return turns


def verify(ex: Example, path: Path) -> list[tuple[str, str]]:
    if ex.fmt == "txt":
        got = read_txt(path, ex.options.get("encoding", "utf-8"))
        raw = path.read_bytes()
        enc = ex.options.get("encoding")
        assert raw.startswith(b"\xef\xbb\xbf") == (enc == "utf-8-sig"), path
        assert (b"\r\n" in raw) == (ex.options.get("newline") == "\r\n"), path
        if enc == "cp1252":
            try:
                raw.decode("utf-8")
                raise AssertionError(f"{path} should not be valid UTF-8")
            except UnicodeDecodeError:
                pass
        want = [(s, t) for s, t, _ in ex.turns]
    else:
        got = read_docx(path) if ex.fmt == "docx" else read_cues(path)
        want = [(s, t.replace("\n", " ")) for s, t, _ in ex.turns]
    assert len(got) == len(want), f"{path}: {len(got)} turns read, {len(want)} expected"
    for i, (g, w) in enumerate(zip(got, want)):
        assert g == w, f"{path} turn {i}: read {g!r}, expected {w!r}"
    if ex.fmt == "docx" and ex.options.get("style") == "bold":
        for p in docx.Document(str(path)).paragraphs:
            assert p.runs[0].bold and not p.runs[1].bold, path
    return got


# --------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    root = Path(__file__).resolve().parent.parent
    ap.add_argument("--out", type=Path, default=root / "transcripts_example")
    args = ap.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    names = [ex.name for ex in EXAMPLES]
    assert len(set(names)) == len(names)
    manifest_rows, coding_rows = [], []
    print(f"{'file':40} {'turns':>5} {'mod':>4} {'coded':>5} {'codes':>5} {'cues':>5} {'KB':>5}")
    for ex in EXAMPLES:
        validate(ex)
        path = out / ex.filename
        WRITERS[ex.fmt](ex, path)
        verify(ex, path)
        size = path.stat().st_size
        assert size < 40_000, f"{path} is {size} bytes"
        manifest_rows.append({"file": ex.filename, "name": ex.name, **ex.meta})
        n_codes = 0
        for idx, (_, _, codes) in enumerate(ex.turns):
            for c in sorted(codes, key=CODE_ORDER.__getitem__):
                coding_rows.append({"transcript": ex.name, "turn": idx, "code": c})
                n_codes += 1
        n_mod = sum(s == ex.moderator_label for s, _, _ in ex.turns)
        n_coded = sum(bool(c) for _, _, c in ex.turns)
        cues = len(timed_cues(ex)) if ex.fmt in ("vtt", "srt") else ""
        print(f"{ex.filename:40} {len(ex.turns):5} {n_mod:4} {n_coded:5} {n_codes:5} "
              f"{cues!s:>5} {size / 1024:5.1f}")

    with open(out / "manifest.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=MANIFEST_FIELDS, lineterminator="\n")
        w.writeheader()
        w.writerows(manifest_rows)
    with open(out / "reference_codings.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["transcript", "turn", "code"], lineterminator="\n")
        w.writeheader()
        w.writerows(coding_rows)

    total = sum(len(ex.turns) for ex in EXAMPLES)
    print(f"\n{len(EXAMPLES)} transcripts, {total} turns, {len(coding_rows)} reference codings")
    by_theme = Counter(PARENT[r["code"]] for r in coding_rows)
    by_code = Counter(r["code"] for r in coding_rows)
    print("\nreference codings per top-level theme (parent + sub-codes):")
    for parent, kids in CODEBOOK.items():
        n_tr = len({r["transcript"] for r in coding_rows if PARENT[r["code"]] == parent})
        detail = ", ".join(f"{c} {by_code[c]}" for c in [parent, *kids] if by_code[c])
        print(f"  {parent:30} {by_theme[parent]:4}  in {n_tr} transcripts  ({detail})")
    unused = [c for c in PARENT if not by_code[c]]
    if unused:
        print("codes never used:", ", ".join(unused))
    missing = [p for p in CODEBOOK if not by_theme[p]]
    assert not missing, f"themes without any coding: {missing}"
    return 0


if __name__ == "__main__":
    sys.exit(main())
