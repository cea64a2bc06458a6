#!/usr/bin/env python3
"""Generate the Wayfinder sample service directory (Open Referral HSDS 3.0).

Writes ``services.json`` (a JSON array of HSDS 3.0 *service* objects, in the
shape of the HSDS ``service_full`` example) next to this script.

Everything local in here is FICTIONAL: organisation names, street addresses
and phone numbers (215/267/610/856-555-01xx) are invented. Only the four
national lines at the end of SERVICES are real, with their published numbers.

The output is deterministic: ids are uuid5 values derived from stable slugs,
no clock or randomness is used.  Run it again after editing the data:

    python data/directory/sample/make_sample.py

Stdlib only.
"""

from __future__ import annotations

import json
import re
import uuid
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().with_name("services.json")
SAMPLE = "https://wayfinder.example/sample/"
TAXONOMY = "https://wayfinder.example/taxonomy/"


def uid(path: str) -> str:
    """Stable id for a sample record, e.g. uid("service/keystone-crc")."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, SAMPLE + path))


# --------------------------------------------------------------------------
# Taxonomies (codes and display names). Only these codes may be used.
# --------------------------------------------------------------------------
TERMS = {
    "wayfinder-needs": {
        "mental_health": "Mental health",
        "counseling": "Counseling",
        "psychiatry": "Psychiatry",
        "crisis_walk_in": "Crisis walk-in",
        "warmline": "Warmline",
        "peer_support": "Peer support",
        "eating_disorders": "Eating disorders",
        "case_management": "Case management",
        "lgbtq_affirming_care": "LGBTQ+-affirming care",
        "substance_use": "Substance use",
        "substance_use_outpatient": "Substance use outpatient treatment",
        "medication_assisted_treatment": "Medication-assisted treatment",
        "detox": "Detox (withdrawal management)",
        "residential_treatment": "Residential treatment",
        "basic_needs": "Basic needs",
        "shelter": "Shelter",
        "housing": "Housing",
        "food": "Food",
        "legal_advocacy": "Legal and rights advocacy",
        "benefits": "Benefits enrollment",
        "child_youth": "Child and youth services",
        "family_support": "Family support",
        "veterans_services": "Veterans services",
        "crisis_lines": "Crisis lines",
    },
    "wayfinder-payment": {
        "medicaid": "Medicaid",
        "medicare": "Medicare",
        "private_insurance": "Private insurance",
        "sliding_fee": "Sliding fee scale",
        "free": "Free",
    },
    "wayfinder-population": {
        "youth": "Youth",
        "adults": "Adults",
        "seniors": "Seniors",
        "veterans": "Veterans",
        "lgbtq": "LGBTQ+",
        "spanish_speaking": "Spanish speaking",
        "deaf_hard_of_hearing": "Deaf and hard of hearing",
    },
    "wayfinder-access": {
        "walk_in": "Walk-in",
        "telehealth": "Telehealth",
        "same_day": "Same-day",
        "wheelchair_accessible": "Wheelchair accessible",
    },
}
# service-dict key -> taxonomy
TAG_KEYS = {
    "needs": "wayfinder-needs",
    "pay": "wayfinder-payment",
    "pop": "wayfinder-population",
    "access": "wayfinder-access",
}

LANGS = {
    "en": "English",
    "es": "Spanish",
    "vi": "Vietnamese",
    "km": "Khmer",
    "zh": "Chinese",
    "ru": "Russian",
    "uk": "Ukrainian",
    "ar": "Arabic",
    "ht": "Haitian Creole",
    "ase": "American Sign Language",
}

# "What to bring" shorthand.
DOCS = {
    "id": "Photo ID",
    "id_crisis": "Photo ID (not required for crisis care)",
    "id_if": "Photo ID if you have one (you will not be turned away without it)",
    "ins": "Insurance card if you have one",
    "pa_medicaid": "Pennsylvania ACCESS (Medicaid) card",
    "nj_medicaid": "NJ FamilyCare (Medicaid) card",
    "medicare": "Medicare card and any supplemental or Part D card",
    "meds": "List of current medications (or the bottles)",
    "income": "Proof of household income for the sliding fee (pay stub, benefit letter, or a signed self-declaration)",
    "address": "Proof of address, such as a utility bill or official mail",
    "ssn": "Social Security numbers for everyone in the household who is applying",
    "letters": "Any notices, denial letters or termination letters you received",
    "dd214": "DD-214 or other proof of military service (staff can help you request it)",
    "minor_pa": "Parent or guardian at the first visit for youth under 14 (in Pennsylvania, youth 14 and older can consent to outpatient mental health care themselves)",
    "parent": "A parent or guardian for the intake appointment",
    "kids": "Birth certificates or other ID for the children in your family",
    "nothing": "Nothing - no documents are needed",
    "referral": "Referral or recent records from a doctor, therapist or case manager if you have them (self-referrals accepted)",
    "lease": "Your lease, any court papers and any notices from your landlord",
}

FREE = ("Free", 0, None)


def sliding(desc: str) -> tuple:
    return ("Sliding fee scale", None, desc)


def copay(desc: str = "Your insurance plan's usual copay or coinsurance applies") -> tuple:
    return ("Insurance copay", None, desc)


def selfpay(amount: float, desc: str) -> tuple:
    return ("Self-pay", amount, desc)


# --------------------------------------------------------------------------
# Organizations: slug -> (name, description, web host). Fictional ones get
# https://<host>.example.org/ and an @example.org address; real ones a URL.
# --------------------------------------------------------------------------
ORGS = {
    "keystone": ("Keystone Crossing Health", "Nonprofit community behavioral health provider running a crisis response center, outpatient clinics and case management in North and Northwest Philadelphia.", "keystonecrossing"),
    "riverward": ("Riverward Recovery Services", "Addiction treatment and recovery support in Kensington and Fishtown with bilingual English/Spanish staff.", "riverwardrecovery"),
    "somerset": ("Somerset Street Health Partners", "Outpatient primary care and addiction medicine practice in Kensington.", "somersetstreet"),
    "larchwood": ("Larchwood Counseling Collective", "Cooperative group counseling practice in West Philadelphia offering a sliding fee scale.", "larchwoodcounseling"),
    "sprucehill": ("Spruce Hill Therapy Associates", "Private group practice of licensed psychologists and therapists in University City.", "sprucehilltherapy"),
    "cedarpark": ("Cedar Park Community Mental Health Center", "Community mental health center for West and Southwest Philadelphia Medicaid (HealthChoices) members.", "cedarparkcmhc"),
    "westgate": ("Westgate Behavioral Health", "Hospital-affiliated crisis and acute psychiatric services in West Philadelphia.", "westgatebh"),
    "northbridge": ("Northbridge Psychiatric Associates", "Adult psychiatric practice in Center City with walk-in and scheduled clinics.", "northbridgepsych"),
    "hearthline": ("Hearthline Telehealth", "Telehealth-only counseling, psychiatry and addiction medicine for people anywhere in Pennsylvania.", "hearthline"),
    "frankford": ("Frankford Avenue Counseling Center", "Neighborhood outpatient mental health clinic in Northeast Philadelphia.", "frankfordcounseling"),
    "openhands": ("Open Hands Deaf Counseling Services", "Counseling and peer support delivered directly in American Sign Language by Deaf and hearing ASL-fluent clinicians.", "openhandsdeaf"),
    "opendoor": ("Open Door Peer Network", "Peer-run nonprofit: everyone on staff has lived experience of mental health conditions.", "opendoorpeer"),
    "lantern": ("Lantern House Peer Center", "Peer-run recovery and wellness center serving Delaware County.", "lanternhouse"),
    "spectrum": ("Spectrum Community Health", "LGBTQ+-led health center offering affirming behavioral health care.", "spectrumhealth"),
    "rainbowroad": ("Rainbow Road Counseling", "LGBTQ+-affirming group counseling practice in Camden County, NJ.", "rainbowroadcounseling"),
    "brightwater": ("Brightwater Eating Disorder Programs", "Specialty eating disorder treatment for teens and adults.", "brightwatered"),
    "kingshwy": ("Kings Highway Eating Disorders Clinic", "Outpatient eating disorder clinic in Haddonfield that accepts NJ FamilyCare.", "kingshighwayed"),
    "nourish": ("Nourish Together", "Volunteer-led support network for people affected by eating disorders and their families.", "nourishtogether"),
    "familycircle": ("Family Circle Mental Health Alliance", "Volunteer family-to-family education and support for relatives of people living with mental illness.", "familycircle"),
    "darbycreek": ("Darby Creek Behavioral Health", "Crisis, outpatient mental health and addiction services in eastern Delaware County.", "darbycreekbh"),
    "riverside": ("Riverside Health Alliance of South Jersey", "Crisis, psychiatric and case management services in Camden County, NJ.", "riversidehealthsj"),
    "camdenway": ("Camden Way Recovery", "Outpatient addiction treatment and a low-barrier medication bridge clinic in East Camden.", "camdenwayrecovery"),
    "schuylkill": ("Schuylkill Valley Behavioral Health", "Montgomery County crisis line, case management and opioid treatment program.", "schuylkillvalleybh"),
    "perkiomen": ("Perkiomen Ridge Treatment Center", "Inpatient withdrawal management and residential addiction treatment campus.", "perkiomenridge"),
    "mantua": ("Mantua Creek Recovery Campus", "Detox and residential addiction treatment for South Jersey.", "mantuacreek"),
    "pennypack": ("Pennypack Recovery Center", "Residential addiction treatment in Northeast Philadelphia.", "pennypackrecovery"),
    "brandywine": ("Brandywine Path Recovery & Wellness", "Outpatient addiction and mental health services in Chester County.", "brandywinepath"),
    "delcanal": ("Delaware Canal Recovery Associates", "Outpatient addiction treatment in lower Bucks County.", "delcanalrecovery"),
    "olney": ("Olney Community Health Collaborative", "Bilingual community health hub in Olney: addiction treatment, benefits help and a family pantry.", "olneycollab"),
    "mekong": ("Mekong Family Wellness Center", "Culturally specific counseling for Southeast Asian families in South Philadelphia.", "mekongwellness"),
    "jadegate": ("Jade Gate Counseling Center", "Bilingual Chinese/English mental health clinic in Chinatown.", "jadegate"),
    "bustleton": ("Bustleton Family Counseling", "Counseling in Russian, Ukrainian and English for families in the Far Northeast.", "bustletonfamily"),
    "sunflower": ("Sunflower Child & Family Therapy", "Outpatient therapy for children, teens and young adults and their caregivers.", "sunflowerchild"),
    "teentalk": ("Youth Voices Philadelphia", "Youth-led nonprofit that runs a peer warmline for teenagers.", "youthvoicesphl"),
    "gardenstate": ("Garden State Peer Alliance", "Statewide peer-run organization in New Jersey.", "gardenstatepeer"),
    "openarms": ("Open Arms Housing Coalition", "Emergency shelter, housing navigation and supportive housing in Philadelphia.", "openarmshousing"),
    "nextstep": ("Next Step Youth Services", "Shelter and support for young adults experiencing homelessness.", "nextstepyouth"),
    "kensministry": ("Kensington Neighbors Ministry", "Interfaith ministry running a night shelter and food cupboard in Kensington.", "kensingtonneighbors"),
    "mercytable": ("Mercy Table Kitchens", "Community meal program in South Philadelphia.", "mercytable"),
    "wpnpantry": ("West Philly Neighbors Pantry", "Neighbor-run choice food pantry in West Philadelphia.", "westphillyneighbors"),
    "washave": ("Washington Avenue Community Association", "Multilingual neighborhood association and food pantry in South Philadelphia.", "washingtonavecommunity"),
    "cnu": ("Camden Neighbors United", "Community organization in Cramer Hill offering food and benefits help.", "camdenneighbors"),
    "camdenshelter": ("Camden Shelter Collaborative", "Emergency shelter for adults in Camden City.", "camdenshelter"),
    "chesterkitchen": ("Chester Community Kitchen", "Free meals and groceries in the City of Chester.", "chesterkitchen"),
    "mainstreet": ("Main Street Shelter Partnership", "Emergency shelter and food pantry in Norristown.", "mainstreetshelter"),
    "codeblue": ("Lower Bucks Code Blue Network", "Volunteer network that opens emergency warming shelters during extreme cold.", "lowerbuckscodeblue"),
    "liberty": ("Liberty Bell Veterans Alliance", "Veteran-run nonprofit offering housing, peer outreach and benefits help.", "libertybellveterans"),
    "valleyforge": ("Valley Forge Veterans Counseling Collective", "Counseling for veterans, service members and their families.", "valleyforgevets"),
    "mayfair": ("Mayfair Senior Center", "Community senior center for adults 60 and older in Northeast Philadelphia.", "mayfairseniors"),
    "cda": ("Commonwealth Disability Advocates", "Legal advocacy for people with disabilities, including psychiatric disabilities.", "commonwealthdisability"),
    "fairshare": ("Fairshare Legal Clinic", "Free civil legal help for low-income Philadelphians.", "fairsharelegal"),
    "sjmhr": ("South Jersey Mental Health Rights Project", "Advocacy and legal help for people with mental health conditions in South Jersey.", "sjmhrights"),
    "commontable": ("Common Table Benefits Center", "Benefits screening and enrollment help in North Philadelphia.", "commontable"),
    "pointbreeze": ("Point Breeze Counseling Center", "Former neighborhood counseling clinic in South Philadelphia.", "pointbreezecounseling"),
    "doylestown": ("Doylestown Psychiatric Associates", "Private psychiatric practice in central Bucks County.", "doylestownpsych"),
    "rancocas": ("Rancocas Valley Counseling Center", "Community counseling center in Burlington County, NJ.", "rancocasvalley"),
    "ridleycreek": ("Ridley Creek Housing Partnership", "Housing counseling and rental assistance in Delaware County.", "ridleycreekhousing"),
    # Real national organizations (not fictional).
    "vibrant": ("Vibrant Emotional Health", "Nonprofit that administers the 988 Suicide & Crisis Lifeline network.", "https://www.vibrant.org/"),
    "samhsa": ("Substance Abuse and Mental Health Services Administration (SAMHSA)", "Agency within the U.S. Department of Health and Human Services that leads public health efforts on mental health and substance use.", "https://www.samhsa.gov/"),
    "ctl": ("Crisis Text Line", "Nonprofit offering free, 24/7 text-based mental health support and crisis intervention.", "https://www.crisistextline.org/"),
    "va": ("U.S. Department of Veterans Affairs", "Federal agency providing health care and benefits to veterans.", "https://www.va.gov/"),
}
REAL_ORGS = {"vibrant", "samhsa", "ctl", "va"}

# --------------------------------------------------------------------------
# Locations: slug -> (name, street, city, state, ZIP, lat, lon, accessibility)
# Virtual locations: slug -> ("virtual", name)
# Street addresses are invented; ZIP codes and coordinates are realistic.
# --------------------------------------------------------------------------
STEP_FREE = "Step-free entrance, elevator and accessible restrooms."
GROUND = "Ground-floor entrance with a ramp; accessible restroom."
LOCATIONS = {
    # Philadelphia - North / Kensington / Fishtown
    "keystone-broad": ("Keystone Crossing Crisis Response Center", "2131 N. Broad Street", "Philadelphia", "PA", "19122", 39.9853, -75.1556, STEP_FREE),
    "riverward-kensington": ("Riverward Kensington Clinic", "3045 Kensington Avenue", "Philadelphia", "PA", "19134", 39.9938, -75.1183, GROUND),
    "somerset-kensington": ("Somerset Street Health Partners", "156 E. Somerset Street", "Philadelphia", "PA", "19134", 39.9905, -75.1250, GROUND),
    "kensministry": ("Kensington Neighbors Ministry Hall", "3231 Kensington Avenue", "Philadelphia", "PA", "19134", 39.9968, -75.1128, None),
    "riverward-fishtown": ("Riverward Fishtown Outpatient Center", "2015 Frankford Avenue", "Philadelphia", "PA", "19125", 39.9772, -75.1302, STEP_FREE),
    "fairshare-broad": ("Fairshare Legal Clinic", "1729 N. Broad Street", "Philadelphia", "PA", "19122", 39.9797, -75.1585, STEP_FREE),
    "commontable": ("Common Table Benefits Center", "3860 N. 5th Street", "Philadelphia", "PA", "19140", 40.0115, -75.1370, GROUND),
    "olney": ("Olney Community Health Collaborative", "5620 N. 5th Street", "Philadelphia", "PA", "19120", 40.0372, -75.1308, STEP_FREE),
    "openarms-lindley": ("Lindley Avenue Family Shelter", "1200 W. Lindley Avenue", "Philadelphia", "PA", "19141", 40.0297, -75.1462, STEP_FREE),
    # Northwest
    "keystone-germantown": ("Keystone Crossing Germantown Clinic", "5520 Germantown Avenue", "Philadelphia", "PA", "19144", 40.0352, -75.1747, STEP_FREE),
    "opendoor-germantown": ("Open Door Germantown Drop-In", "5712 Greene Street", "Philadelphia", "PA", "19144", 40.0366, -75.1813, None),
    "familycircle-germantown": ("Grace Fellowship Hall", "6040 Germantown Avenue", "Philadelphia", "PA", "19144", 40.0402, -75.1828, GROUND),
    # Northeast
    "frankford-mayfair": ("Frankford Avenue Counseling Center", "7020 Frankford Avenue", "Philadelphia", "PA", "19135", 40.0346, -75.0506, STEP_FREE),
    "mayfair-senior": ("Mayfair Senior Center", "3333 Cottman Avenue", "Philadelphia", "PA", "19149", 40.0416, -75.0563, STEP_FREE),
    "pennypack": ("Pennypack Recovery Center", "8600 Verree Road", "Philadelphia", "PA", "19115", 40.0765, -75.0740, STEP_FREE),
    "bustleton": ("Bustleton Family Counseling", "9880 Bustleton Avenue", "Philadelphia", "PA", "19115", 40.0930, -75.0330, GROUND),
    # Center City / Chinatown
    "northbridge-cc": ("Northbridge Psychiatric Associates", "1315 Walnut Street, Suite 800", "Philadelphia", "PA", "19107", 39.9491, -75.1628, STEP_FREE),
    "opendoor-cc": ("Open Door Center City Drop-In", "1213 Filbert Street", "Philadelphia", "PA", "19107", 39.9530, -75.1600, STEP_FREE),
    "spectrum-cc": ("Spectrum Community Health", "1232 Locust Street", "Philadelphia", "PA", "19107", 39.9479, -75.1618, STEP_FREE),
    "jadegate": ("Jade Gate Counseling Center", "925 Race Street, 2nd Floor", "Philadelphia", "PA", "19107", 39.9555, -75.1550, None),
    "openhands-cc": ("Open Hands Deaf Counseling Services", "255 S. 17th Street, Suite 300", "Philadelphia", "PA", "19103", 39.9480, -75.1695, STEP_FREE + " Visual fire alarms and a videophone in the lobby."),
    "familycircle-cc": ("Family Circle Community Room", "1521 Sansom Street", "Philadelphia", "PA", "19102", 39.9505, -75.1665, STEP_FREE),
    "openarms-cc": ("Open Arms Housing Coalition Office", "1430 Cherry Street", "Philadelphia", "PA", "19102", 39.9555, -75.1640, STEP_FREE),
    "cda": ("Commonwealth Disability Advocates", "1525 Locust Street, 12th Floor", "Philadelphia", "PA", "19102", 39.9485, -75.1670, STEP_FREE),
    # West Philadelphia / University City
    "larchwood": ("Larchwood Counseling Collective", "4601 Baltimore Avenue", "Philadelphia", "PA", "19143", 39.9490, -75.2145, GROUND),
    "sprucehill": ("Spruce Hill Therapy Associates", "4200 Spruce Street", "Philadelphia", "PA", "19104", 39.9530, -75.2070, GROUND),
    "cedarpark": ("Cedar Park Community Mental Health Center", "4741 Baltimore Avenue", "Philadelphia", "PA", "19143", 39.9484, -75.2190, GROUND),
    "westgate-52nd": ("Westgate Behavioral Health", "17 N. 52nd Street", "Philadelphia", "PA", "19139", 39.9605, -75.2245, STEP_FREE),
    "wpnpantry": ("West Philly Neighbors Pantry", "5722 Market Street", "Philadelphia", "PA", "19139", 39.9610, -75.2340, GROUND),
    "nextstep": ("Next Step Young Adult Shelter", "3930 Lancaster Avenue", "Philadelphia", "PA", "19104", 39.9627, -75.2003, STEP_FREE),
    "liberty-house": ("Liberty Bell Veterans House", "4318 Chester Avenue", "Philadelphia", "PA", "19104", 39.9455, -75.2100, STEP_FREE),
    # South Philadelphia
    "openarms-rosewood": ("Rosewood Women's Shelter", "2141 Federal Street", "Philadelphia", "PA", "19146", 39.9366, -75.1801, GROUND),
    "pointbreeze": ("Point Breeze Counseling Center", "1518 Point Breeze Avenue", "Philadelphia", "PA", "19146", 39.9347, -75.1786, None),
    "mekong": ("Mekong Family Wellness Center", "1735 S. 7th Street", "Philadelphia", "PA", "19148", 39.9266, -75.1576, GROUND),
    "washave": ("Washington Avenue Community Pantry", "1130 Washington Avenue", "Philadelphia", "PA", "19147", 39.9376, -75.1624, GROUND),
    "mercytable": ("Mercy Table South Philly Kitchen", "700 Snyder Avenue", "Philadelphia", "PA", "19148", 39.9231, -75.1590, GROUND),
    "sunflower": ("Sunflower Child & Family Therapy", "1917 W. Passyunk Avenue", "Philadelphia", "PA", "19145", 39.9241, -75.1790, STEP_FREE),
    # Pennsylvania suburbs
    "darbycreek-69th": ("Darby Creek Crisis Center", "8 S. 69th Street", "Upper Darby", "PA", "19082", 39.9610, -75.2595, STEP_FREE),
    "darbycreek-darby": ("Darby Creek Outpatient Center", "1020 Main Street", "Darby", "PA", "19023", 39.9185, -75.2590, STEP_FREE),
    "lantern-chester": ("Lantern House Peer Center", "615 Edgmont Avenue", "Chester", "PA", "19013", 39.8502, -75.3598, GROUND),
    "chesterkitchen": ("Chester Community Kitchen", "410 Avenue of the States", "Chester", "PA", "19013", 39.8471, -75.3592, GROUND),
    "ridleycreek-media": ("Ridley Creek Housing Partnership", "201 W. Front Street", "Media", "PA", "19063", 39.9165, -75.3890, None),
    "schuylkill-norristown": ("Schuylkill Valley Behavioral Health", "425 Swede Street", "Norristown", "PA", "19401", 40.1195, -75.3435, STEP_FREE),
    "schuylkill-otp": ("Schuylkill Valley Opioid Treatment Program", "1150 W. Marshall Street", "Norristown", "PA", "19401", 40.1215, -75.3560, GROUND),
    "mainstreet-dekalb": ("DeKalb Street Emergency Shelter", "530 DeKalb Street", "Norristown", "PA", "19401", 40.1200, -75.3450, GROUND),
    "mainstreet-pantry": ("Main Street Hope Pantry", "116 E. Main Street", "Norristown", "PA", "19401", 40.1145, -75.3420, GROUND),
    "valleyforge-kop": ("Valley Forge Veterans Counseling Collective", "150 S. Gulph Road", "King of Prussia", "PA", "19406", 40.0880, -75.3900, STEP_FREE),
    "brightwater-bala": ("Brightwater Eating Disorder Programs", "120 Montgomery Avenue", "Bala Cynwyd", "PA", "19004", 40.0080, -75.2310, STEP_FREE),
    "perkiomen": ("Perkiomen Ridge Campus", "400 Level Road", "Collegeville", "PA", "19426", 40.1920, -75.4600, STEP_FREE),
    "brandywine-wc": ("Brandywine Path Recovery & Wellness", "200 E. Gay Street", "West Chester", "PA", "19380", 39.9610, -75.6020, STEP_FREE),
    "delcanal-bensalem": ("Delaware Canal Recovery - Bensalem", "3200 Street Road", "Bensalem", "PA", "19020", 40.1020, -74.9600, STEP_FREE),
    "delcanal-bristol": ("Delaware Canal Recovery - Bristol", "310 Mill Street", "Bristol", "PA", "19007", 40.1000, -74.8530, GROUND),
    "codeblue-bristol": ("Pond Street Warming Shelter", "225 Pond Street", "Bristol", "PA", "19007", 40.1020, -74.8560, None),
    "doylestown": ("Doylestown Psychiatric Associates", "210 W. State Street", "Doylestown", "PA", "18901", 40.3100, -75.1330, None),
    # New Jersey
    "riverside-haddon": ("Riverside Crisis & Stabilization Center", "1412 Haddon Avenue", "Camden", "NJ", "08103", 39.9300, -75.1050, STEP_FREE),
    "riverside-broadway": ("Riverside Health Alliance Broadway Clinic", "520 Broadway", "Camden", "NJ", "08103", 39.9400, -75.1200, STEP_FREE),
    "camdenway": ("Camden Way Recovery", "1120 Federal Street", "Camden", "NJ", "08105", 39.9470, -75.1000, GROUND),
    "cnu-cramerhill": ("Camden Neighbors United Community Hub", "2705 River Avenue", "Camden", "NJ", "08105", 39.9605, -75.0935, GROUND),
    "camdenshelter": ("Broadway Emergency Shelter", "1011 Broadway", "Camden", "NJ", "08104", 39.9320, -75.1185, GROUND),
    "sjmhr": ("South Jersey Mental Health Rights Project", "121 Cooper Street", "Camden", "NJ", "08102", 39.9490, -75.1220, None),
    "rainbowroad": ("Rainbow Road Counseling", "1010 Kings Highway North, Suite 4", "Cherry Hill", "NJ", "08034", 39.9210, -75.0170, STEP_FREE),
    "familycircle-nj": ("Cherry Hill Community Center", "820 Mercer Street", "Cherry Hill", "NJ", "08002", 39.9250, -75.0330, STEP_FREE),
    "liberty-nj": ("Liberty Bell Veterans Alliance - South Jersey Office", "1700 Route 70 West", "Cherry Hill", "NJ", "08002", 39.9300, -75.0300, STEP_FREE),
    "kingshwy": ("Kings Highway Eating Disorders Clinic", "45 Kings Highway East", "Haddonfield", "NJ", "08033", 39.8970, -75.0340, None),
    "mantua": ("Mantua Creek Recovery Campus", "620 N. Broad Street", "Woodbury", "NJ", "08096", 39.8450, -75.1530, STEP_FREE),
    "rancocas": ("Rancocas Valley Counseling Center", "52 Salem Road", "Willingboro", "NJ", "08046", 40.0300, -74.8890, None),
    # Virtual
    "virtual-hearthline": ("virtual", "Hearthline secure video and phone (anywhere in Pennsylvania)"),
    "virtual-openhands": ("virtual", "Open Hands video sessions in ASL"),
    "virtual-opendoor": ("virtual", "Open Door Peer Warmline (phone)"),
    "virtual-lantern": ("virtual", "Lantern House Evening Warmline (phone)"),
    "virtual-teentalk": ("virtual", "Teen Talk Line (phone and text)"),
    "virtual-gardenstate": ("virtual", "Garden State Peer Warmline (phone)"),
    "virtual-schuylkill": ("virtual", "Schuylkill Valley phone lines"),
    "virtual-nourish": ("virtual", "Nourish Together online meetings"),
    "virtual-988": ("virtual", "Nationwide by phone, text and chat"),
    "virtual-samhsa": ("virtual", "Nationwide by phone"),
    "virtual-ctl": ("virtual", "Nationwide by text"),
    "virtual-vcl": ("virtual", "Nationwide by phone, text and chat"),
}

# --------------------------------------------------------------------------
# Services. Keys:
#   slug, org, name, desc, loc (location slug or list of slugs)
#   phones: "215-555-0100" (voice, "Main line") or (number, type, description)
#   hours: list of "DAYS HH:MM-HH:MM[ # note]" or "24/7"; DAYS = MO-FR, DAILY,
#          SA,SU ...; closes earlier than opens = overnight. Omit = unknown.
#   langs: space separated codes (default "en"); interp: interpretation text
#   elig, apply, fees, cost (list of tuples), docs (space separated DOCS keys)
#   ages: (min, max) either may be None; assured: YYYY-MM-DD
#   needs / pay / pop / access: space separated taxonomy codes
#   optional: status, alert, wait, area (service area text), real
# --------------------------------------------------------------------------
SERVICES = [
    # ---------------------------------------------------------------- crisis
    dict(
        slug="keystone-crc", org="keystone", loc="keystone-broad",
        name="Keystone Crossing Crisis Response Center",
        desc="Walk-in psychiatric emergency center near Temple University for adults and teens in a mental health or substance use crisis. Psychiatrists and crisis clinicians see people around the clock, with no appointment.",
        phones=["215-555-0100"], hours=["24/7"], langs="en es",
        interp="Spanish-speaking staff on most shifts; phone interpreters for all other languages.",
        elig="Anyone 12 or older in a mental health crisis, regardless of insurance, immigration status or ability to pay.",
        apply="Walk in at any time, or come with police, an ambulance or a family member. You can also call ahead.",
        fees="No out-of-pocket charge for crisis evaluation. Insurance (Medicaid, Medicare or private) is billed if you have it.",
        cost=[FREE], docs="id_crisis ins meds", ages=(12, None), assured="2026-10-02",
        needs="crisis_walk_in psychiatry", pay="medicaid medicare private_insurance free",
        access="walk_in same_day wheelchair_accessible",
    ),
    dict(
        slug="westgate-crc", org="westgate", loc="westgate-52nd",
        name="Westgate Crisis Response Center",
        desc="24-hour walk-in crisis center in West Philadelphia offering emergency psychiatric evaluation, short observation stays and referral to inpatient or outpatient care.",
        phones=["215-555-0101"], hours=["24/7"], langs="en es",
        elig="Adults 18 and older experiencing a psychiatric or substance use emergency.",
        apply="Walk in any time; no referral or appointment needed.",
        fees="No one is turned away for inability to pay; insurance is billed when available.",
        cost=[FREE], docs="id_crisis ins meds", ages=(18, None), assured="2026-08-21",
        needs="crisis_walk_in", pay="medicaid medicare private_insurance free",
        pop="adults", access="walk_in same_day wheelchair_accessible",
    ),
    dict(
        slug="darbycreek-crisis", org="darbycreek", loc="darbycreek-69th",
        name="Darby Creek Crisis Center",
        desc="Walk-in crisis center next to the 69th Street Transportation Center for anyone in Delaware County having a mental health emergency. Includes a mobile crisis team that can come to you.",
        phones=["610-555-0100", ("610-555-0101", "voice", "Mobile crisis dispatch")],
        hours=["24/7"], langs="en es",
        elig="Anyone in a mental health or substance use crisis; mobile team serves Delaware County.",
        apply="Walk in any time, or call to request the mobile crisis team.",
        fees="Free to you; insurance billed if you have it.",
        cost=[FREE], docs="id_crisis ins", assured="2026-06-30",
        needs="crisis_walk_in", pay="medicaid medicare private_insurance free",
        access="walk_in same_day wheelchair_accessible",
    ),
    dict(
        slug="riverside-crisis", org="riverside", loc="riverside-haddon",
        name="Riverside Crisis & Stabilization Center",
        desc="Camden County's 24/7 walk-in behavioral health crisis center, with a stabilization unit for stays of up to 23 hours.",
        phones=["856-555-0100"], hours=["24/7"], langs="en es",
        elig="Adults 18+ in a behavioral health crisis in Camden County and nearby.",
        apply="Walk in, call ahead, or be brought in by police or EMS.",
        fees="No charge to the person in crisis; NJ FamilyCare, Medicare and private insurance are billed.",
        cost=[FREE], docs="id_crisis ins", ages=(18, None), assured="2026-09-09",
        needs="crisis_walk_in", pay="medicaid medicare private_insurance free",
        pop="adults", access="walk_in same_day wheelchair_accessible",
        area="Camden County, NJ",
    ),
    dict(
        slug="schuylkill-crisis-line", org="schuylkill", loc="virtual-schuylkill",
        name="Schuylkill Valley Crisis Line",
        desc="Local 24-hour telephone crisis line for Montgomery County. Counselors can talk you through a crisis and send a mobile crisis team.",
        phones=["610-555-0102"], hours=["24/7"], langs="en es",
        elig="Anyone in Montgomery County, PA, or worried about someone there.",
        apply="Call any time.",
        fees="Free.", cost=[FREE], docs="nothing", assured="2026-07-15",
        needs="crisis_lines", pay="free", access="same_day",
        area="Montgomery County, PA",
    ),
    # ----------------------------------------------------- Keystone outpatient
    dict(
        slug="keystone-adult-op", org="keystone", loc="keystone-germantown",
        name="Keystone Crossing Adult Outpatient Clinic",
        desc="Individual and group therapy plus psychiatric evaluation and medication management for adults in Germantown.",
        phones=["215-555-0102"], hours=["MO-TH 08:30-19:00", "FR 08:30-17:00"], langs="en",
        elig="Adults 18 and older.",
        apply="Call the intake line to schedule an assessment; most first appointments are within two weeks.",
        fees="Medicaid (HealthChoices) and most private plans accepted; copays apply.",
        cost=[copay()], docs="id ins meds", ages=(18, None), assured="2026-05-12",
        wait="About 2 weeks for a first appointment.",
        needs="counseling psychiatry", pay="medicaid private_insurance",
        pop="adults", access="wheelchair_accessible",
    ),
    dict(
        slug="keystone-youth-op", org="keystone", loc="keystone-germantown",
        name="Keystone Crossing Youth Outpatient Clinic",
        desc="Therapy, family sessions and child psychiatry for teenagers, in the same building as the adult clinic.",
        phones=["215-555-0103"], hours=["MO-TH 08:30-19:00", "FR 08:30-17:00"], langs="en",
        elig="Youth ages 13 to 17 and their families.",
        apply="A parent, the teen, a school counselor or a pediatrician can call the intake line to schedule an assessment.",
        fees="Medicaid (HealthChoices, CHIP) and most private plans accepted; copays apply.",
        cost=[copay()], docs="minor_pa ins meds", ages=(13, 17), assured="2026-05-12",
        wait="About 2 weeks for a first appointment.",
        needs="counseling psychiatry child_youth", pay="medicaid private_insurance",
        pop="youth", access="wheelchair_accessible",
    ),
    dict(
        slug="keystone-case-mgmt", org="keystone", loc="keystone-germantown",
        name="Keystone Crossing Blended Case Management",
        desc="Case managers help adults with serious mental illness get to appointments, apply for benefits, find housing and stay connected to care.",
        phones=["215-555-0104"], hours=["MO-FR 09:00-17:00"], langs="en es",
        elig="Philadelphia adults with a serious mental illness who have Medicaid (HealthChoices).",
        apply="Ask your therapist or psychiatrist for a referral, or call to self-refer.",
        fees="Covered by Medicaid; no cost to you.",
        cost=[("Covered by Medicaid", 0, "No cost to Medicaid members")], docs="id pa_medicaid",
        ages=(18, None), assured="2026-03-03",
        needs="case_management", pay="medicaid", pop="adults",
        access="wheelchair_accessible", area="Philadelphia County, PA",
    ),
    # ------------------------------------------------ Kensington MAT pair etc.
    dict(
        slug="riverward-mat", org="riverward", loc="riverward-kensington",
        name="Riverward MAT Clinic",
        desc="Low-barrier clinic offering buprenorphine (Suboxone) and injectable naltrexone, with same-day starts. Bilingual English/Spanish prescribers, nurses and recovery specialists.",
        phones=["215-555-0105"], hours=["MO-FR 08:00-16:00", "SA 09:00-12:00"], langs="en es",
        interp="All staff speak Spanish; the clinic runs fully in Spanish on request.",
        elig="Adults 18+ with opioid use disorder.",
        apply="Walk in before 2 pm on weekdays (before 11 am Saturday) to start the same day.",
        fees="Medicaid and private insurance accepted. Uninsured patients are helped to apply for Medicaid.",
        cost=[copay()], docs="id_if ins", ages=(18, None), assured="2026-10-20",
        needs="medication_assisted_treatment", pay="medicaid private_insurance",
        pop="adults spanish_speaking", access="walk_in same_day wheelchair_accessible",
    ),
    dict(
        slug="somerset-mat", org="somerset", loc="somerset-kensington",
        name="Somerset Street MAT Program",
        desc="Low-barrier clinic offering buprenorphine (Suboxone) and injectable naltrexone, with same-day starts and primary care in the same visit.",
        phones=["215-555-0106"], hours=["MO-FR 08:00-16:00", "SA 09:00-12:00"], langs="en",
        elig="Adults 18+ with opioid use disorder.",
        apply="Walk in before 2 pm on weekdays (before 11 am Saturday) to start the same day.",
        fees="Medicaid and private insurance accepted. Uninsured patients are helped to apply for Medicaid.",
        cost=[copay()], docs="id_if ins", ages=(18, None), assured="2026-10-14",
        needs="medication_assisted_treatment", pay="medicaid private_insurance",
        pop="adults", access="walk_in same_day wheelchair_accessible",
    ),
    dict(
        slug="somerset-detox", org="somerset", loc="somerset-kensington",
        name="Somerset Street Withdrawal Management Unit",
        desc="Medically monitored inpatient detox for alcohol, opioids and benzodiazepines, usually 3 to 7 days, with a warm handoff to MAT or rehab.",
        phones=["215-555-0107"], hours=["24/7 # admissions around the clock"], langs="en es",
        elig="Adults 18+ who need medical help to withdraw safely.",
        apply="Call first to check for a bed; walk-ins are assessed when beds are open.",
        fees="Medicaid and most private plans; no one is refused for lack of insurance on the day of admission.",
        cost=[copay()], docs="id_if ins meds", ages=(18, None), assured="2026-09-28",
        alert="Beds fill early in the day; call after 7 am to check availability.",
        needs="detox", pay="medicaid private_insurance", pop="adults",
        access="same_day wheelchair_accessible",
    ),
    dict(
        slug="riverward-iop", org="riverward", loc="riverward-fishtown",
        name="Riverward Adult Intensive Outpatient Program",
        desc="Three-hour group sessions four days a week for adults in early recovery from alcohol or drug use, with individual counseling and family nights.",
        phones=["215-555-0108"], hours=["MO-TH 09:00-12:00 # morning track", "MO-TH 18:00-21:00 # evening track"],
        langs="en es",
        elig="Adults 18 and older.",
        apply="Call for a phone screening; assessments are scheduled within a week.",
        fees="Medicaid and private insurance; sliding fee for people without insurance.",
        cost=[copay(), sliding("$15-$40 per day based on income")], docs="id ins income",
        ages=(18, None), assured="2026-04-08",
        needs="substance_use_outpatient", pay="medicaid private_insurance sliding_fee",
        pop="adults", access="wheelchair_accessible",
    ),
    dict(
        slug="riverward-teen-iop", org="riverward", loc="riverward-fishtown",
        name="Riverward Teen Intensive Outpatient Program",
        desc="After-school group and family therapy for teenagers who are using alcohol, cannabis or other drugs, in the same building as the adult program.",
        phones=["215-555-0109"], hours=["MO-TH 15:30-18:30"], langs="en es",
        elig="Youth ages 13 to 17.",
        apply="Parents, schools or probation can call for a phone screening.",
        fees="Medicaid and private insurance; sliding fee for families without insurance.",
        cost=[copay(), sliding("$15-$40 per day based on income")], docs="parent ins income",
        ages=(13, 17), assured="2026-04-08",
        needs="substance_use_outpatient child_youth", pay="medicaid private_insurance sliding_fee",
        pop="youth", access="wheelchair_accessible",
    ),
    dict(
        slug="riverward-dropin", org="riverward", loc="riverward-kensington",
        name="Riverward Recovery Community Center",
        desc="Peer-run drop-in for people in or seeking recovery from addiction: recovery meetings, coffee, phone charging, and recovery coaches who help you get into treatment.",
        phones=["215-555-0110"], hours=["MO-FR 10:00-18:00", "SA 10:00-14:00"], langs="en es",
        elig="Anyone 18+ affected by substance use, including family members.",
        apply="Just walk in.",
        fees="Free.", cost=[FREE], docs="nothing", ages=(18, None), assured="2026-09-02",
        needs="peer_support", pay="free", pop="spanish_speaking",
        access="walk_in same_day wheelchair_accessible",
    ),
    # ------------------------------------------------- West Philly counseling
    dict(
        slug="larchwood-counseling", org="larchwood", loc="larchwood",
        name="Larchwood Counseling Collective",
        desc="Individual and couples therapy for adults with anxiety, depression, grief and trauma.",
        phones=["215-555-0111"], hours=["MO-TH 10:00-20:00", "FR 10:00-16:00"], langs="en",
        elig="Adults 18 and older.",
        apply="Fill out the online request form or call; a clinician calls back within 3 business days.",
        fees="Sliding fee only; insurance is not accepted.",
        cost=[sliding("$20-$90 per session based on household income")], docs="id income",
        ages=(18, None), assured="2026-06-17",
        needs="counseling", pay="sliding_fee", access="wheelchair_accessible",
    ),
    dict(
        slug="sprucehill-therapy", org="sprucehill", loc="sprucehill",
        name="Spruce Hill Therapy Associates",
        desc="Individual and couples therapy for adults with anxiety, depression, grief and trauma.",
        phones=["215-555-0112"], hours=["MO-TH 10:00-20:00", "FR 10:00-16:00"], langs="en",
        elig="Adults 18 and older.",
        apply="Fill out the online request form or call; a clinician calls back within 3 business days.",
        fees="In network with Independence Blue Cross, Aetna and Cigna commercial plans. Medicaid and Medicare are not accepted.",
        cost=[copay()], docs="id ins", ages=(18, None), assured="2026-06-17",
        needs="counseling", pay="private_insurance", access="wheelchair_accessible",
    ),
    dict(
        slug="cedarpark-counseling", org="cedarpark", loc="cedarpark",
        name="Cedar Park Community Counseling",
        desc="Individual and couples therapy for adults with anxiety, depression, grief and trauma.",
        phones=["215-555-0113"], hours=["MO-TH 10:00-20:00", "FR 10:00-16:00"], langs="en",
        elig="Adults 18 and older with Pennsylvania Medicaid (HealthChoices).",
        apply="Fill out the online request form or call; a clinician calls back within 3 business days.",
        fees="Medicaid (HealthChoices) only; no copay.",
        cost=[copay("No copay for Medicaid members")], docs="id pa_medicaid", ages=(18, None),
        assured="2026-06-17",
        needs="counseling", pay="medicaid", access="wheelchair_accessible",
    ),
    dict(
        slug="cedarpark-psychiatry", org="cedarpark", loc="cedarpark",
        name="Cedar Park Medication Management Clinic",
        desc="Psychiatric evaluations and ongoing medication management with psychiatrists and nurse practitioners.",
        phones=["215-555-0114"], hours=["MO-FR 09:00-17:00"], langs="en es",
        elig="Adults 18+ with Pennsylvania Medicaid (HealthChoices).",
        apply="Call to schedule an evaluation; a referral from your therapist speeds things up.",
        fees="Medicaid (HealthChoices) only.",
        cost=[copay("No copay for Medicaid members")], docs="id pa_medicaid meds referral",
        ages=(18, None), assured="2026-02-24", wait="3-5 weeks for a first psychiatric evaluation.",
        needs="psychiatry", pay="medicaid", access="wheelchair_accessible",
    ),
    dict(
        slug="westgate-php", org="westgate", loc="westgate-52nd",
        name="Westgate Acute Partial Hospitalization Program",
        desc="Full-day program (five days a week for two to four weeks) for adults who need more than weekly therapy, including daily psychiatrist visits and group therapy.",
        phones=["215-555-0115"], hours=["MO-FR 09:00-15:00"], langs="en",
        elig="Adults 18+ stepping down from a hospital stay or at risk of needing one.",
        apply="Referral from a crisis center, hospital, therapist or psychiatrist; self-referrals are screened by phone.",
        fees="Medicaid, Medicare and private insurance.",
        cost=[copay()], docs="id ins meds referral", ages=(18, None), assured="2025-11-18",
        needs="psychiatry counseling", pay="medicaid medicare private_insurance",
        pop="adults", access="wheelchair_accessible",
    ),
    # ------------------------------------------- walk-in vs appointment psych
    dict(
        slug="northbridge-walkin", org="northbridge", loc="northbridge-cc",
        name="Northbridge Walk-In Psychiatry Clinic",
        desc="Adults can see a psychiatrist or psychiatric nurse practitioner the same day for medication evaluations, refills and bridge prescriptions, without an appointment.",
        phones=["215-555-0116"], hours=["MO-FR 08:00-18:00 # last walk-in accepted at 4 pm"], langs="en es",
        elig="Adults 18 and older. Not for emergencies: go to a crisis center or call 988.",
        apply="Walk in and sign in at the front desk; expect to wait 1-3 hours.",
        fees="Medicaid, Medicare and private insurance.",
        cost=[copay()], docs="id ins meds", ages=(18, None), assured="2026-10-07",
        needs="psychiatry", pay="medicaid medicare private_insurance",
        pop="adults", access="walk_in same_day wheelchair_accessible",
    ),
    dict(
        slug="northbridge-scheduled", org="northbridge", loc="northbridge-cc",
        name="Northbridge Psychiatry Clinic (by appointment)",
        desc="Ongoing psychiatric care for adults by appointment: full evaluations, medication management and follow-up visits.",
        phones=["215-555-0117"], hours=["MO-FR 08:00-18:00"], langs="en es",
        elig="Adults 18 and older.",
        apply="Appointment only. Call to schedule a new-patient evaluation.",
        fees="Medicaid, Medicare and private insurance.",
        cost=[copay()], docs="id ins meds referral", ages=(18, None), assured="2026-10-07",
        wait="4-6 weeks for a new-patient evaluation.",
        needs="psychiatry", pay="medicaid medicare private_insurance",
        pop="adults", access="wheelchair_accessible",
    ),
    # --------------------------------------------------------------- telehealth
    dict(
        slug="hearthline-counseling", org="hearthline", loc="virtual-hearthline",
        name="Hearthline Online Counseling",
        desc="Weekly video or phone therapy with a licensed counselor, including evening appointments. No office visits.",
        phones=["267-555-0100"], hours=["MO-FR 08:00-21:00", "SA 09:00-14:00"], langs="en es",
        elig="Adults 18+ who are physically in Pennsylvania during sessions.",
        apply="Sign up online or call; first sessions are usually within one week.",
        fees="Medicaid, Medicare and most private insurance; self-pay $75 per session.",
        cost=[copay(), selfpay(75, "per 50-minute session")], docs="id ins",
        ages=(18, None), assured="2026-08-04",
        needs="counseling", pay="medicaid medicare private_insurance",
        access="telehealth", area="Pennsylvania",
    ),
    dict(
        slug="hearthline-telepsych", org="hearthline", loc="virtual-hearthline",
        name="Hearthline Telepsychiatry",
        desc="Psychiatric evaluations and medication management by video, with prescriptions sent to your local pharmacy.",
        phones=["267-555-0101"], hours=["MO-FR 09:00-17:00"], langs="en",
        elig="Adults 18+ in Pennsylvania.",
        apply="Sign up online or call to schedule.",
        fees="Medicaid, Medicare and most private insurance.",
        cost=[copay()], docs="id ins meds", ages=(18, None), assured="2026-08-04",
        needs="psychiatry", pay="medicaid medicare private_insurance",
        access="telehealth", area="Pennsylvania",
    ),
    dict(
        slug="hearthline-bupe", org="hearthline", loc="virtual-hearthline",
        name="Hearthline Telehealth Buprenorphine Program",
        desc="Start and continue buprenorphine (Suboxone) treatment by video visit, with weekly recovery check-ins.",
        phones=["267-555-0102"], hours=["DAILY 08:00-20:00"], langs="en es",
        elig="Adults 18+ with opioid use disorder who are in Pennsylvania.",
        apply="Book online or call; same-day video starts are often available.",
        fees="Medicaid and most private insurance; self-pay $99 per month.",
        cost=[copay(), selfpay(99, "per month, visits only (medication billed separately)")],
        docs="id ins", ages=(18, None), assured="2026-07-27",
        needs="medication_assisted_treatment", pay="medicaid private_insurance",
        access="telehealth same_day", area="Pennsylvania",
    ),
    # --------------------------------------------- seniors-only vs all-ages
    dict(
        slug="frankford-counseling", org="frankford", loc="frankford-mayfair",
        name="Frankford Avenue Counseling Center",
        desc="Outpatient therapy for depression, anxiety, grief and life changes, for children, adults and older adults.",
        phones=["215-555-0118"], hours=["MO-FR 09:00-17:00", "TU,TH 17:00-20:00 # evening appointments"], langs="en",
        elig="Anyone of any age; children need a parent or guardian at intake.",
        apply="Call to schedule an intake appointment.",
        fees="Medicare, Medicaid and most private insurance.",
        cost=[copay()], docs="id ins", assured="2026-03-26",
        needs="counseling", pay="medicare medicaid private_insurance",
        access="wheelchair_accessible",
    ),
    dict(
        slug="frankford-senior-counseling", org="frankford", loc="frankford-mayfair",
        name="Frankford Avenue Senior Wellness Counseling",
        desc="Outpatient therapy for depression, anxiety, grief and life changes, with counselors trained in later-life issues such as caregiving and loss.",
        phones=["215-555-0119"], hours=["MO-FR 09:00-17:00", "TU,TH 17:00-20:00 # evening appointments"], langs="en",
        elig="Adults 60 and older.",
        apply="Call to schedule an intake appointment.",
        fees="Medicare, Medicaid and most private insurance.",
        cost=[copay()], docs="id medicare", ages=(60, None), assured="2026-03-26",
        needs="counseling", pay="medicare medicaid private_insurance",
        pop="seniors", access="wheelchair_accessible",
    ),
    # -------------------------------------------------------- ASL / Deaf
    dict(
        slug="openhands-counseling", org="openhands", loc=["openhands-cc", "virtual-openhands"],
        name="Open Hands ASL Counseling",
        desc="Therapy conducted directly in American Sign Language, with no interpreter in the room. Sessions in the office or by video.",
        phones=["215-555-0120", ("215-555-0121", "text", "Text to schedule")],
        hours=["MO-FR 09:00-18:00", "WE 18:00-20:00 # evening sessions"], langs="ase en",
        interp="All clinicians are fluent in ASL; CART captioning available on request.",
        elig="Deaf, DeafBlind, hard of hearing and CODA adults and teens 14+ in Pennsylvania.",
        apply="Text, email, or call through relay to schedule an intake.",
        fees="Medicaid, Medicare and private insurance; sliding fee for people without insurance.",
        cost=[copay(), sliding("$10-$60 per session based on income")], docs="id ins",
        ages=(14, None), assured="2026-02-11",
        needs="counseling", pay="medicaid medicare private_insurance sliding_fee",
        pop="deaf_hard_of_hearing", access="telehealth wheelchair_accessible",
        area="Pennsylvania",
    ),
    dict(
        slug="openhands-peer", org="openhands", loc="openhands-cc",
        name="Open Hands Deaf Peer Support Group",
        desc="Weekly peer support group in ASL for Deaf adults living with depression, anxiety or other mental health conditions, led by Deaf peer specialists.",
        phones=[("215-555-0122", "text", "Text the peer group coordinator")],
        hours=["TH 18:00-19:30"], langs="ase",
        elig="Deaf and hard of hearing adults 18+.",
        apply="Just come to the group; text first if it is your first time.",
        fees="Free.", cost=[FREE], docs="nothing", ages=(18, None), assured="2025-12-04",
        needs="peer_support", pay="free", pop="deaf_hard_of_hearing",
        access="walk_in wheelchair_accessible",
    ),
    # ------------------------------------------------------------ peer support
    dict(
        slug="opendoor-centercity", org="opendoor", loc="opendoor-cc",
        name="Open Door Center City Peer Drop-In",
        desc="Peer-run drop-in center where adults living with mental health conditions can relax, join wellness groups, use computers and talk with certified peer specialists. Open evenings and weekends.",
        phones=["215-555-0123"], hours=["MO-FR 12:00-20:00", "SA,SU 11:00-17:00"], langs="en",
        elig="Adults 18+ with lived experience of mental health conditions.",
        apply="Walk in; no referral or diagnosis paperwork needed.",
        fees="Free.", cost=[FREE], docs="nothing", ages=(18, None), assured="2026-09-16",
        needs="peer_support", pay="free", pop="adults",
        access="walk_in same_day wheelchair_accessible",
    ),
    dict(
        slug="opendoor-germantown", org="opendoor", loc="opendoor-germantown",
        name="Open Door Germantown Peer Drop-In",
        desc="Neighborhood peer-run drop-in with a hot lunch, art and music groups, WRAP wellness classes and peer specialists.",
        phones=["215-555-0124"], hours=["MO-FR 10:00-16:00"], langs="en",
        elig="Adults 18+ with lived experience of mental health conditions.",
        apply="Walk in.",
        fees="Free.", cost=[FREE], docs="nothing", ages=(18, None), assured="2025-07-22",
        alert="Building has steps at the entrance; no wheelchair access yet.",
        needs="peer_support", pay="free", pop="adults", access="walk_in same_day",
    ),
    dict(
        slug="opendoor-warmline", org="opendoor", loc="virtual-opendoor",
        name="Open Door Peer Warmline",
        desc="A phone line for when you are not in crisis but need someone to talk to. Calls are answered by trained peers who have lived experience of mental health conditions.",
        phones=["215-555-0125"], hours=["DAILY 17:00-23:00"], langs="en",
        elig="Adults 18+ in the Philadelphia region.",
        apply="Call during warmline hours. If you are in crisis, call or text 988.",
        fees="Free.", cost=[FREE], docs="nothing", ages=(18, None), assured="2026-09-16",
        needs="warmline peer_support", pay="free", pop="adults",
    ),
    dict(
        slug="lantern-peer", org="lantern", loc="lantern-chester",
        name="Lantern House Peer Recovery Center",
        desc="Peer-run center in Chester offering support groups, recovery coaching, computer access and a clothing closet for adults in mental health or addiction recovery.",
        phones=["610-555-0103"], hours=["MO-FR 09:00-17:00", "SA 10:00-14:00"], langs="en",
        elig="Adults 18+ in Delaware County.",
        apply="Walk in during open hours.",
        fees="Free.", cost=[FREE], docs="nothing", ages=(18, None), assured="2026-01-29",
        needs="peer_support", pay="free", pop="adults",
        access="walk_in same_day wheelchair_accessible", area="Delaware County, PA",
    ),
    dict(
        slug="lantern-warmline", org="lantern", loc="virtual-lantern",
        name="Lantern House Evening Warmline",
        desc="Peer-staffed evening phone line for Delaware County residents who want to talk things through before they become a crisis.",
        phones=["610-555-0104"], hours=["MO-FR 16:00-22:00", "SA,SU 12:00-20:00"], langs="en",
        elig="Anyone 18+ in Delaware County.",
        apply="Call during warmline hours.",
        fees="Free.", cost=[FREE], docs="nothing", ages=(18, None), assured="2026-01-29",
        needs="warmline peer_support", pay="free", area="Delaware County, PA",
    ),
    dict(
        slug="gardenstate-warmline", org="gardenstate", loc="virtual-gardenstate",
        name="Garden State Peer Warmline",
        desc="Late-night peer warmline for New Jersey residents, answered by people in mental health recovery.",
        phones=["856-555-0101"], hours=["DAILY 18:00-02:00"], langs="en es",
        elig="Adults 18+ in New Jersey.",
        apply="Call during warmline hours.",
        fees="Free.", cost=[FREE], docs="nothing", ages=(18, None), assured="2026-05-05",
        needs="warmline peer_support", pay="free", area="New Jersey",
    ),
    dict(
        slug="teentalk-warmline", org="teentalk", loc="virtual-teentalk",
        name="Teen Talk Line",
        desc="Call or text to talk with a trained teen volunteer about stress, school, family, relationships or anything else, with adult supervisors on every shift.",
        phones=["267-555-0103", ("267-555-0104", "text", "Text line")],
        hours=["DAILY 16:00-22:00"], langs="en es",
        elig="Teens ages 13 to 17.",
        apply="Call or text during open hours.",
        fees="Free.", cost=[FREE], docs="nothing", ages=(13, 17), assured="2026-09-30",
        needs="warmline child_youth", pay="free", pop="youth", area="Philadelphia region",
    ),
    dict(
        slug="schuylkill-night-warmline", org="schuylkill", loc="virtual-schuylkill",
        name="Schuylkill Valley Night Warmline", status="inactive",
        desc="Overnight peer warmline for Montgomery County residents.",
        phones=["610-555-0105"], hours=["DAILY 22:00-06:00"], langs="en",
        elig="Adults 18+ in Montgomery County.",
        apply="This line is no longer answered.",
        fees="Free.", cost=[FREE], docs="nothing", ages=(18, None), assured="2025-04-30",
        alert="Discontinued in April 2025 when grant funding ended. Call the Schuylkill Valley Crisis Line or 988 instead.",
        needs="warmline", pay="free", area="Montgomery County, PA",
    ),
    # -------------------------------------------------------------- LGBTQ+
    dict(
        slug="spectrum-clinic", org="spectrum", loc="spectrum-cc",
        name="Spectrum Behavioral Health Clinic",
        desc="Therapy and psychiatry for LGBTQ+ adults, including gender-affirming care letters, support around coming out, and trauma-focused therapy.",
        phones=["215-555-0126"], hours=["MO-TH 09:00-20:00", "FR 09:00-17:00"], langs="en es",
        elig="LGBTQ+ adults 18+ and their partners.",
        apply="Call or request an intake online; new-client intakes are held every weekday.",
        fees="Medicaid, Medicare and private insurance; sliding fee for people without insurance.",
        cost=[copay(), sliding("$0-$50 per visit based on income")], docs="id_if ins income",
        ages=(18, None), assured="2026-07-08",
        needs="lgbtq_affirming_care counseling psychiatry",
        pay="medicaid medicare private_insurance sliding_fee",
        pop="lgbtq adults", access="wheelchair_accessible",
    ),
    dict(
        slug="spectrum-youth-dropin", org="spectrum", loc="spectrum-cc",
        name="Spectrum Youth Drop-In",
        desc="After-school drop-in space for LGBTQ+ teens with peer support groups, snacks, and a youth counselor on site.",
        phones=["215-555-0127"], hours=["TU-FR 15:00-19:00", "SA 12:00-16:00"], langs="en",
        elig="LGBTQ+ and questioning youth ages 13 to 17.",
        apply="Walk in; no parent permission needed for drop-in.",
        fees="Free.", cost=[FREE], docs="nothing", ages=(13, 17), assured="2026-07-08",
        needs="lgbtq_affirming_care peer_support child_youth", pay="free",
        pop="lgbtq youth", access="walk_in wheelchair_accessible",
    ),
    dict(
        slug="spectrum-recovery", org="spectrum", loc="spectrum-cc",
        name="Spectrum Recovery Program",
        desc="Outpatient substance use treatment in an LGBTQ+-affirming setting, with groups for gay and bisexual men, trans and nonbinary people, and women.",
        phones=["215-555-0128"], hours=["MO-TH 17:30-20:30"], langs="en",
        elig="LGBTQ+ adults 18+.",
        apply="Call for a phone screening.",
        fees="Medicaid and private insurance; sliding fee available.",
        cost=[copay(), sliding("$0-$35 per group based on income")], docs="id_if ins",
        ages=(18, None), assured="2026-04-21",
        needs="substance_use_outpatient lgbtq_affirming_care",
        pay="medicaid private_insurance sliding_fee", pop="lgbtq adults",
        access="wheelchair_accessible",
    ),
    dict(
        slug="rainbowroad-counseling", org="rainbowroad", loc="rainbowroad",
        name="Rainbow Road Counseling",
        desc="LGBTQ+-affirming therapy for individuals, couples and families, including transgender and nonbinary clients and parents of trans youth.",
        phones=["856-555-0102"], hours=["MO-TH 10:00-20:00", "SA 09:00-13:00"], langs="en",
        elig="LGBTQ+ people of all ages (12+) and their families.",
        apply="Call or book a free 15-minute consultation online.",
        fees="Private insurance; sliding fee for a limited number of clients.",
        cost=[copay(), sliding("$40-$110 per session based on income")], docs="id ins",
        ages=(12, None), assured="2025-09-10",
        needs="lgbtq_affirming_care counseling", pay="private_insurance sliding_fee",
        pop="lgbtq", access="wheelchair_accessible",
    ),
    # ------------------------------------------------------ eating disorders
    dict(
        slug="brightwater-php", org="brightwater", loc="brightwater-bala",
        name="Brightwater Adult Eating Disorder Day Program",
        desc="Partial hospitalization and intensive outpatient treatment for anorexia, bulimia, binge eating disorder and ARFID, with supported meals, therapy and dietitian care.",
        phones=["610-555-0106"], hours=["MO-FR 08:00-16:00 # day program", "MO-TH 17:00-20:00 # evening IOP"], langs="en",
        elig="Adults 18+ with an eating disorder who are medically stable.",
        apply="Call for a free phone assessment; a medical clearance from your doctor is needed before starting.",
        fees="Private insurance only.",
        cost=[copay()], docs="id ins meds referral", ages=(18, None), assured="2026-05-29",
        needs="eating_disorders", pay="private_insurance", pop="adults",
        access="wheelchair_accessible",
    ),
    dict(
        slug="brightwater-teen-iop", org="brightwater", loc="brightwater-bala",
        name="Brightwater Teen Eating Disorder Program",
        desc="After-school intensive outpatient program for teens with eating disorders, using family-based treatment with parents involved in every step.",
        phones=["610-555-0107"], hours=["MO-TH 15:30-18:30"], langs="en",
        elig="Youth ages 12 to 17 with an eating disorder, with a parent or guardian.",
        apply="A parent calls for a free phone assessment.",
        fees="Private insurance only.",
        cost=[copay()], docs="parent ins meds referral", ages=(12, 17), assured="2026-05-29",
        needs="eating_disorders child_youth", pay="private_insurance", pop="youth",
        access="wheelchair_accessible",
    ),
    dict(
        slug="kingshwy-ed", org="kingshwy", loc="kingshwy",
        name="Kings Highway Eating Disorders Outpatient Clinic",
        desc="Weekly therapy, nutrition counseling and medical monitoring for teens and adults with eating disorders.",
        phones=["856-555-0103"], hours=["MO-FR 09:00-18:00"], langs="en",
        elig="Anyone 12 or older with an eating disorder or disordered eating.",
        apply="Call to schedule an intake; a parent must attend for patients under 18.",
        fees="NJ FamilyCare (Medicaid) and private insurance.",
        cost=[copay()], docs="id ins", ages=(12, None), assured="2025-10-06",
        needs="eating_disorders counseling", pay="medicaid private_insurance",
    ),
    dict(
        slug="nourish-support", org="nourish", loc="virtual-nourish",
        name="Nourish Together Support Groups",
        desc="Free online support groups led by trained volunteers: one for people in eating disorder recovery and one for parents, partners and loved ones.",
        phones=["267-555-0105"], hours=["MO 19:00-20:30 # recovery group", "WE 19:00-20:30 # family and loved ones group"],
        langs="en",
        elig="Adults 18+ affected by an eating disorder, their own or a loved one's.",
        apply="Register online to get the meeting link.",
        fees="Free.", cost=[FREE], docs="nothing", ages=(18, None), assured="2026-02-02",
        needs="eating_disorders family_support peer_support", pay="free", access="telehealth",
    ),
    # -------------------------------------------------------- family support
    dict(
        slug="familycircle-centercity", org="familycircle", loc="familycircle-cc",
        name="Family Circle Support Group - Center City",
        desc="Monthly support group for parents, spouses, siblings and adult children of people living with mental illness, facilitated by trained family members.",
        phones=["215-555-0129"], hours=["TU 18:30-20:00 # second and fourth Tuesday of the month"], langs="en",
        elig="Adult family members and friends of a person with a mental health condition.",
        apply="Just come; no registration needed.",
        fees="Free.", cost=[FREE], docs="nothing", ages=(18, None), assured="2026-08-12",
        needs="family_support", pay="free", access="walk_in wheelchair_accessible",
    ),
    dict(
        slug="familycircle-course", org="familycircle", loc="familycircle-germantown",
        name="Family Circle Family Pathways Course",
        desc="Free 8-week class for families of adults with mental illness, covering diagnoses, treatment, communication, crisis planning and self-care.",
        phones=["215-555-0130"], hours=["SA 10:00-12:30 # spring and fall sessions"], langs="en",
        elig="Adult family members and caregivers.",
        apply="Register by phone or online; classes are limited to 20 people.",
        fees="Free; course materials provided.", cost=[FREE], docs="nothing",
        ages=(18, None), assured="2026-01-14",
        needs="family_support", pay="free", access="wheelchair_accessible",
    ),
    dict(
        slug="familycircle-spanish", org="familycircle", loc="olney",
        name="Grupo de Apoyo Familiar Family Circle",
        desc="Spanish-language support group for families of people living with mental illness, led by bilingual family volunteers.",
        phones=["215-555-0131"], hours=["TH 18:00-19:30"], langs="es",
        elig="Spanish-speaking family members and friends.",
        apply="Just come; call to ask about childcare.",
        fees="Free.", cost=[FREE], docs="nothing", ages=(18, None), assured="2026-06-03",
        needs="family_support", pay="free", pop="spanish_speaking",
        access="walk_in wheelchair_accessible",
    ),
    dict(
        slug="familycircle-nj", org="familycircle", loc="familycircle-nj",
        name="Family Circle Support Group - Cherry Hill",
        desc="Monthly family support group for South Jersey relatives of people with mental illness, plus a speaker series on navigating the NJ mental health system.",
        phones=["856-555-0104"], hours=["WE 19:00-20:30 # first Wednesday of the month"], langs="en",
        elig="Adult family members and friends.",
        apply="Just come.",
        fees="Free.", cost=[FREE], docs="nothing", ages=(18, None), assured="2025-08-27",
        needs="family_support", pay="free", access="walk_in wheelchair_accessible",
    ),
    # --------------------------------------------------- Delaware County etc.
    dict(
        slug="darbycreek-outpatient", org="darbycreek", loc="darbycreek-darby",
        name="Darby Creek Outpatient Mental Health",
        desc="Therapy and psychiatric medication management for children and adults, with school-based therapists in several Upper Darby schools.",
        phones=["610-555-0108"], hours=["MO-TH 08:30-20:00", "FR 08:30-17:00"], langs="en es ar",
        interp="Spanish and Arabic-speaking therapists.",
        elig="Anyone 5 or older in Delaware County.",
        apply="Call the intake line to schedule; walk-in intake assessments Tuesday mornings.",
        fees="Medicaid, Medicare and most private insurance.",
        cost=[copay()], docs="id ins meds", ages=(5, None), assured="2026-06-30",
        needs="counseling psychiatry", pay="medicaid medicare private_insurance",
        access="wheelchair_accessible", area="Delaware County, PA",
    ),
    dict(
        slug="darbycreek-mat", org="darbycreek", loc="darbycreek-darby",
        name="Darby Creek Addiction Recovery Program",
        desc="Outpatient and intensive outpatient addiction treatment with buprenorphine and naltrexone available on site.",
        phones=["610-555-0109"], hours=["MO-FR 07:00-15:00", "MO,WE 17:00-20:00 # evening groups"], langs="en",
        elig="Adults 18+.",
        apply="Call for an assessment; same-day medication starts most weekdays.",
        fees="Medicaid, Medicare and private insurance; sliding fee for uninsured county residents.",
        cost=[copay(), sliding("$10-$30 per visit based on income")], docs="id ins income",
        ages=(18, None), assured="2026-06-30",
        needs="medication_assisted_treatment substance_use_outpatient",
        pay="medicaid medicare private_insurance sliding_fee",
        pop="adults", access="same_day wheelchair_accessible",
    ),
    # --------------------------------------------------------------- Camden NJ
    dict(
        slug="riverside-psychiatry", org="riverside", loc="riverside-broadway",
        name="Riverside Adult Psychiatry and Counseling Clinic",
        desc="Outpatient psychiatric evaluation, medication management and therapy for adults in Camden.",
        phones=["856-555-0105"], hours=["MO-FR 08:30-17:00"], langs="en es",
        elig="Adults 18+.",
        apply="Call to schedule; walk-in intakes Monday and Thursday mornings.",
        fees="NJ FamilyCare (Medicaid), Medicare and private insurance; sliding fee for uninsured.",
        cost=[copay(), sliding("$5-$45 per visit based on income")], docs="id ins meds income",
        ages=(18, None), assured="2026-02-18",
        needs="psychiatry counseling", pay="medicaid medicare private_insurance sliding_fee",
        pop="adults", access="wheelchair_accessible",
    ),
    dict(
        slug="riverside-case-mgmt", org="riverside", loc="riverside-broadway",
        name="Riverside Integrated Case Management",
        desc="Case managers help adults with serious mental illness manage appointments, benefits, housing and daily needs, and meet people at home or in the community.",
        phones=["856-555-0106"], hours=["MO-FR 08:30-17:00"], langs="en es",
        elig="Camden County adults 18+ with serious mental illness.",
        apply="Referral from a hospital, crisis center or clinician; self-referrals screened by phone.",
        fees="Free.", cost=[FREE], docs="id_if", ages=(18, None), assured="2026-02-18",
        needs="case_management", pay="free", pop="adults",
        access="wheelchair_accessible", area="Camden County, NJ",
    ),
    dict(
        slug="camdenway-op", org="camdenway", loc="camdenway",
        name="Camden Way Outpatient Recovery Program",
        desc="Outpatient and intensive outpatient counseling for alcohol and drug use, with morning and evening groups.",
        phones=["856-555-0107"], hours=["MO-FR 08:00-20:00"], langs="en es",
        elig="Adults 18+.",
        apply="Call or walk in for an assessment Monday to Friday, 8 am to noon.",
        fees="NJ FamilyCare (Medicaid) and private insurance; state-funded slots for uninsured.",
        cost=[copay(), FREE], docs="id_if ins", ages=(18, None), assured="2026-03-17",
        needs="substance_use_outpatient", pay="medicaid private_insurance free",
        pop="adults", access="walk_in",
    ),
    dict(
        slug="camdenway-bridge", org="camdenway", loc="camdenway",
        name="Camden Way Bridge Clinic",
        desc="Low-barrier walk-in clinic that starts buprenorphine the same day and bridges you to ongoing treatment, with no insurance needed to start.",
        phones=["856-555-0108"], hours=["MO-FR 08:00-16:00", "SA,SU 09:00-13:00"], langs="en es",
        elig="Adults 18+ with opioid use disorder.",
        apply="Walk in; no appointment or ID needed for your first visit.",
        fees="Free for the first 30 days; after that NJ FamilyCare or private insurance.",
        cost=[FREE, copay()], docs="nothing", ages=(18, None), assured="2026-10-26",
        needs="medication_assisted_treatment", pay="medicaid private_insurance free",
        pop="adults", access="walk_in same_day",
    ),
    # ---------------------------------------------------------- Montgomery Co
    dict(
        slug="schuylkill-case-mgmt", org="schuylkill", loc="schuylkill-norristown",
        name="Schuylkill Valley Intensive Case Management",
        desc="Intensive case management for adults with serious mental illness, including help with housing, benefits, medication access and court involvement.",
        phones=["610-555-0110"], hours=["MO-FR 08:30-16:30"], langs="en es",
        elig="Montgomery County adults 18+ with a serious mental illness.",
        apply="Referral through the county; call to ask about self-referral.",
        fees="Covered by Medicaid or county funding; no cost to you.",
        cost=[FREE], docs="id_if pa_medicaid", ages=(18, None), assured="2025-12-09",
        needs="case_management", pay="medicaid free", pop="adults",
        access="wheelchair_accessible", area="Montgomery County, PA",
    ),
    dict(
        slug="schuylkill-otp", org="schuylkill", loc="schuylkill-otp",
        name="Schuylkill Valley Opioid Treatment Program",
        desc="Methadone and buprenorphine treatment with daily dosing, counseling and take-home doses as you stabilize.",
        phones=["610-555-0111"], hours=["MO-FR 05:30-13:00 # dosing hours", "SA,SU 07:00-10:00 # weekend dosing"], langs="en es",
        elig="Adults 18+ with opioid use disorder.",
        apply="Walk in for admission Monday to Thursday before 9 am.",
        fees="Medicaid, Medicare and private insurance; self-pay available.",
        cost=[copay(), selfpay(115, "per week including counseling")], docs="id ins",
        ages=(18, None), assured="2026-07-01",
        needs="medication_assisted_treatment", pay="medicaid medicare private_insurance",
        pop="adults", access="walk_in same_day wheelchair_accessible",
    ),
    # ----------------------------------------------------- detox / residential
    dict(
        slug="perkiomen-detox", org="perkiomen", loc="perkiomen",
        name="Perkiomen Ridge Detox Unit",
        desc="Medically monitored withdrawal management for alcohol, opioids and benzodiazepines with 24-hour nursing.",
        phones=["610-555-0112"], hours=["24/7 # admissions any time"], langs="en",
        elig="Adults 18+.",
        apply="Call the admissions line for a phone screening and bed check; transportation may be arranged.",
        fees="Medicaid, Medicare and private insurance.",
        cost=[copay()], docs="id ins meds", ages=(18, None), assured="2026-04-15",
        needs="detox", pay="medicaid medicare private_insurance", pop="adults",
        access="wheelchair_accessible",
    ),
    dict(
        slug="perkiomen-residential", org="perkiomen", loc="perkiomen",
        name="Perkiomen Ridge Residential Rehab",
        desc="Residential addiction treatment, typically 14 to 28 days, with individual and group therapy, medication for addiction, and discharge planning.",
        phones=["610-555-0113"], hours=["24/7 # admissions line answered around the clock"], langs="en",
        elig="Adults 18+.",
        apply="Call admissions; direct transfer from the detox unit is common.",
        fees="Medicaid, Medicare and private insurance.",
        cost=[copay()], docs="id ins meds", ages=(18, None), assured="2026-04-15",
        needs="residential_treatment", pay="medicaid medicare private_insurance", pop="adults",
        access="wheelchair_accessible",
    ),
    dict(
        slug="mantua-detox", org="mantua", loc="mantua",
        name="Mantua Creek Withdrawal Management",
        desc="Inpatient detox for South Jersey adults, with naloxone training and a direct path into the campus rehab program.",
        phones=["856-555-0109"], hours=["24/7"], langs="en es",
        elig="Adults 18+.",
        apply="Call or walk in for assessment any time of day.",
        fees="NJ FamilyCare (Medicaid) and private insurance; state-funded beds for uninsured NJ residents.",
        cost=[copay(), FREE], docs="id_if ins", ages=(18, None), assured="2026-08-19",
        needs="detox", pay="medicaid private_insurance free", pop="adults",
        access="walk_in same_day wheelchair_accessible",
    ),
    dict(
        slug="mantua-residential", org="mantua", loc="mantua",
        name="Mantua Creek Residential Treatment",
        desc="Short-term (up to 30 days) residential treatment for alcohol and drug use, with medication for addiction available.",
        phones=["856-555-0110"], hours=["24/7"], langs="en es",
        elig="Adults 18+.",
        apply="Call admissions for a screening.",
        fees="NJ FamilyCare (Medicaid) and private insurance.",
        cost=[copay()], docs="id ins meds", ages=(18, None), assured="2026-08-19",
        needs="residential_treatment", pay="medicaid private_insurance", pop="adults",
        access="wheelchair_accessible",
    ),
    dict(
        slug="pennypack-detox", org="pennypack", loc="pennypack",
        name="Pennypack Detox Unit", status="inactive",
        desc="Former inpatient withdrawal management unit in Northeast Philadelphia.",
        phones=["215-555-0132"], hours=["24/7"], langs="en",
        elig="Adults 18+.",
        apply="No longer admitting.",
        fees="Medicaid and private insurance.",
        cost=[copay()], docs="id ins", ages=(18, None), assured="2025-06-10",
        alert="The detox unit closed in June 2025. The residential program remains open.",
        needs="detox", pay="medicaid private_insurance", pop="adults",
    ),
    dict(
        slug="pennypack-womens-residential", org="pennypack", loc="pennypack",
        name="Pennypack Women's Residential Program",
        desc="Women-only residential addiction treatment (up to 60 days) with trauma-focused therapy; pregnant women are prioritized.",
        phones=["215-555-0133"], hours=["24/7 # admissions line"], langs="en es",
        elig="Women 18+, including pregnant women.",
        apply="Call admissions for a phone screening.",
        fees="Medicaid and private insurance.",
        cost=[copay()], docs="id ins meds", ages=(18, None), assured="2026-03-09",
        needs="residential_treatment", pay="medicaid private_insurance", pop="adults",
        access="wheelchair_accessible",
    ),
    # -------------------------------------------------- Chester / Bucks Co.
    dict(
        slug="brandywine-op", org="brandywine", loc="brandywine-wc",
        name="Brandywine Path Outpatient Addiction Treatment",
        desc="Outpatient and intensive outpatient treatment for alcohol and drug use, with evening groups for working adults.",
        phones=["610-555-0114"], hours=["MO-TH 09:00-21:00", "FR 09:00-15:00"], langs="en es",
        elig="Adults 18+ in Chester County.",
        apply="Call for an assessment, usually within 3 days.",
        fees="Medicaid, Medicare and private insurance; county funding for uninsured residents.",
        cost=[copay()], docs="id ins", ages=(18, None), assured="2026-01-22",
        needs="substance_use_outpatient", pay="medicaid medicare private_insurance",
        pop="adults", access="wheelchair_accessible", area="Chester County, PA",
    ),
    dict(
        slug="brandywine-psychiatry", org="brandywine", loc="brandywine-wc",
        name="Brandywine Path Psychiatry and Counseling",
        desc="Psychiatric evaluation, medication management and therapy for adults and older adults.",
        phones=["610-555-0115"], hours=["MO-FR 08:00-17:00"], langs="en",
        elig="Adults 18+.",
        apply="Call to schedule a new-patient appointment.",
        fees="Medicare, Medicaid and private insurance.",
        cost=[copay()], docs="id ins meds", ages=(18, None), assured="2025-10-28",
        needs="psychiatry counseling", pay="medicare medicaid private_insurance",
        access="wheelchair_accessible",
    ),
    dict(
        slug="delcanal-bensalem-op", org="delcanal", loc="delcanal-bensalem",
        name="Delaware Canal Recovery Outpatient - Bensalem",
        desc="Outpatient counseling for adults with alcohol, opioid or stimulant use, including DUI evaluations and a relapse-prevention group.",
        phones=["215-555-0134"], hours=["MO-TH 09:00-20:00", "FR 09:00-16:00"], langs="en",
        elig="Adults 18+.",
        apply="Call to schedule an assessment.",
        fees="Private insurance and Medicaid.",
        cost=[copay()], docs="id ins", ages=(18, None), assured="2026-02-05",
        needs="substance_use_outpatient", pay="private_insurance medicaid",
        pop="adults", access="wheelchair_accessible",
    ),
    dict(
        slug="delcanal-bristol-mat", org="delcanal", loc="delcanal-bristol",
        name="Delaware Canal Recovery MAT Clinic - Bristol",
        desc="Buprenorphine and naltrexone treatment with weekly counseling in Bristol Borough.",
        phones=["215-555-0135"], hours=["MO-FR 08:00-16:00"], langs="en",
        elig="Adults 18+ with opioid or alcohol use disorder.",
        apply="Call for an intake appointment, usually within a week.",
        fees="Medicaid and private insurance.",
        cost=[copay()], docs="id ins", ages=(18, None), assured="2025-05-14",
        needs="medication_assisted_treatment", pay="medicaid private_insurance",
        pop="adults", access="wheelchair_accessible",
    ),
    dict(
        slug="doylestown-psychiatry", org="doylestown", loc="doylestown",
        name="Doylestown Psychiatric Associates",
        desc="Private psychiatric practice offering evaluations and medication management for teens and adults.",
        phones=["215-555-0136"], hours=["MO-FR 09:00-17:00"], langs="en",
        elig="Ages 16 and older.",
        apply="Call to join the new-patient list.",
        fees="Private insurance and Medicare; self-pay $250 for an initial evaluation.",
        cost=[copay(), selfpay(250, "initial evaluation; $120 follow-up visits")], docs="id ins meds",
        ages=(16, None), assured="2024-09-03",
        needs="psychiatry", pay="private_insurance medicare",
    ),
    # ----------------------------------------------- Olney / language-specific
    dict(
        slug="olney-mat", org="olney", loc="olney",
        name="Olney Recovery Clinic",
        desc="Bilingual outpatient addiction treatment with buprenorphine and counseling, in English and Spanish.",
        phones=["215-555-0137"], hours=["MO-FR 08:00-17:00", "TH 17:00-19:00 # evening counseling"], langs="es en",
        interp="All clinical staff are bilingual English/Spanish.",
        elig="Adults 18+.",
        apply="Call or walk in Monday to Wednesday mornings for an intake.",
        fees="Medicaid and private insurance; sliding fee for uninsured.",
        cost=[copay(), sliding("$5-$30 per visit based on income")], docs="id_if ins income",
        ages=(18, None), assured="2026-05-20",
        needs="medication_assisted_treatment substance_use_outpatient",
        pay="medicaid private_insurance sliding_fee",
        pop="spanish_speaking adults", access="walk_in wheelchair_accessible",
    ),
    dict(
        slug="olney-benefits", org="olney", loc="olney",
        name="Olney Benefits Enrollment Desk",
        desc="Bilingual navigators help you apply for and renew Medicaid, SNAP (food stamps), LIHEAP and CHIP, and check the status of applications.",
        phones=["215-555-0138"], hours=["MO,WE,FR 09:00-16:00"], langs="es en",
        elig="Anyone in Philadelphia; no immigration status questions are asked unless needed for an application.",
        apply="Walk in or call to book a time.",
        fees="Free.", cost=[FREE], docs="id_if ssn address income letters", assured="2026-05-20",
        needs="benefits", pay="free", pop="spanish_speaking",
        access="walk_in wheelchair_accessible",
    ),
    dict(
        slug="olney-pantry", org="olney", loc="olney",
        name="Olney Family Pantry",
        desc="Choice food pantry with fresh produce, halal and vegetarian options, and diapers when available.",
        phones=["215-555-0139"], hours=["TU 14:00-18:00", "SA 09:00-12:00"], langs="es en",
        elig="Philadelphia households; visit once a week.",
        apply="Walk in during pantry hours.",
        fees="Free.", cost=[FREE], docs="id_if", assured="2026-09-22",
        needs="food", pay="free", pop="spanish_speaking", access="walk_in wheelchair_accessible",
    ),
    dict(
        slug="mekong-counseling", org="mekong", loc="mekong",
        name="Mekong Family Wellness Counseling",
        desc="Counseling in Vietnamese, Khmer and English for individuals and families, including refugees and older adults coping with trauma, depression and family stress.",
        phones=["215-555-0140"], hours=["MO-FR 09:00-17:00", "SA 10:00-14:00"], langs="vi km en",
        interp="Clinicians speak Vietnamese and Khmer; interpreters for Lao and Hmong.",
        elig="Anyone 12 or older; families welcome.",
        apply="Call or walk in to schedule an intake.",
        fees="Medicaid and private insurance; sliding fee for uninsured.",
        cost=[copay(), sliding("$5-$40 per session based on income")], docs="id_if ins",
        ages=(12, None), assured="2026-04-01",
        needs="counseling", pay="medicaid private_insurance sliding_fee",
        access="walk_in",
    ),
    dict(
        slug="jadegate-counseling", org="jadegate", loc="jadegate",
        name="Jade Gate Counseling and Psychiatry",
        desc="Therapy and psychiatric care in Mandarin, Cantonese and English, with culturally adapted groups for older adults.",
        phones=["215-555-0141"], hours=["MO-FR 09:30-18:00", "SA 10:00-15:00"], langs="zh en",
        interp="Mandarin, Cantonese and Fujianese speaking staff.",
        elig="Children, teens and adults.",
        apply="Call to schedule an intake.",
        fees="Medicaid, Medicare and private insurance.",
        cost=[copay()], docs="id ins meds", assured="2026-07-21",
        needs="counseling psychiatry", pay="medicaid medicare private_insurance",
    ),
    dict(
        slug="bustleton-counseling", org="bustleton", loc="bustleton",
        name="Bustleton Family Counseling",
        desc="Individual and family counseling in Russian, Ukrainian and English, including support for recent arrivals and older adults.",
        phones=["215-555-0142"], hours=["MO-TH 10:00-19:00", "SU 10:00-14:00"], langs="ru uk en",
        elig="Anyone 12 or older.",
        apply="Call to schedule.",
        fees="Medicare, Medicaid and private insurance.",
        cost=[copay()], docs="id ins", ages=(12, None), assured="2025-08-05",
        needs="counseling", pay="medicare medicaid private_insurance",
        access="wheelchair_accessible",
    ),
    # -------------------------------------------------------------- children
    dict(
        slug="sunflower-child", org="sunflower", loc="sunflower",
        name="Sunflower Child & Family Therapy",
        desc="Play therapy, parent-child therapy and counseling for children, teens and young adults, including early childhood programs for ages 0-5.",
        phones=["215-555-0143"], hours=["MO-FR 09:00-19:00"], langs="en es",
        elig="Children and young people from birth to age 21, with their caregivers.",
        apply="A parent or caregiver calls to schedule an intake.",
        fees="Medicaid (including CHIP) and private insurance.",
        cost=[copay()], docs="parent ins kids", ages=(0, 21), assured="2026-08-26",
        needs="counseling child_youth", pay="medicaid private_insurance",
        pop="youth", access="wheelchair_accessible",
    ),
    dict(
        slug="sunflower-parent-support", org="sunflower", loc="sunflower",
        name="Sunflower Parent Support Circle",
        desc="Weekly group for parents and caregivers of children with behavioral or emotional challenges, with free childcare during the group.",
        phones=["215-555-0144"], hours=["WE 18:00-19:30"], langs="en es",
        elig="Parents and caregivers of children up to age 21.",
        apply="Call to register so childcare can be arranged.",
        fees="Free.", cost=[FREE], docs="nothing", ages=(18, None), assured="2026-08-26",
        needs="family_support child_youth", pay="free", access="wheelchair_accessible",
    ),
    # --------------------------------------------------------------- shelters
    dict(
        slug="openarms-family-shelter", org="openarms", loc="openarms-lindley",
        name="Lindley Avenue Family Shelter",
        desc="Emergency shelter for families with children, with private family rooms, meals, on-site case management and a children's program.",
        phones=["215-555-0145"], hours=["24/7 # intake staff available around the clock"], langs="en es",
        elig="Families with at least one child under 18, or a pregnant person, who have nowhere safe to stay.",
        apply="Families must go through the city's family intake first; call us to learn how.",
        fees="Free.", cost=[FREE], docs="id_if kids", assured="2026-10-29",
        needs="shelter", pay="free", access="wheelchair_accessible",
    ),
    dict(
        slug="openarms-womens-shelter", org="openarms", loc="openarms-rosewood",
        name="Rosewood Women's Shelter",
        desc="Women-only emergency shelter with 40 beds, meals, showers, a mental health counselor on site and help finding housing.",
        phones=["215-555-0146"], hours=["DAILY 16:00-09:00 # doors open 4 pm, guests leave by 9 am"], langs="en",
        elig="Single women 18+, including transgender women.",
        apply="Call after 2 pm to check for a bed, then arrive by 8 pm.",
        fees="Free.", cost=[FREE], docs="id_if", ages=(18, None), assured="2026-07-30",
        needs="shelter", pay="free", pop="adults", access="wheelchair_accessible",
    ),
    dict(
        slug="openarms-housing-nav", org="openarms", loc="openarms-cc",
        name="Open Arms Housing Navigation",
        desc="Housing navigators help people leaving shelter or the street apply for housing programs, search for apartments and get move-in costs covered.",
        phones=["215-555-0147"], hours=["MO-FR 09:00-17:00"], langs="en es",
        elig="Philadelphians experiencing or at imminent risk of homelessness.",
        apply="Call or walk in for a screening; shelter case managers can also refer you.",
        fees="Free.", cost=[FREE], docs="id_if income", ages=(18, None), assured="2026-04-27",
        needs="housing", pay="free", access="walk_in wheelchair_accessible",
    ),
    dict(
        slug="openarms-supportive-housing", org="openarms", loc="openarms-cc",
        name="Open Arms Permanent Supportive Housing",
        desc="Permanent apartments with rent support and weekly visits from a case manager for adults with serious mental illness who have experienced long-term homelessness.",
        phones=["215-555-0148"], hours=["MO-FR 09:00-17:00"], langs="en",
        elig="Adults 18+ with a serious mental illness and a history of chronic homelessness.",
        apply="Referral through the city's coordinated entry system; ask your case manager or call us.",
        fees="Tenants pay 30% of their income toward rent.",
        cost=[("Income-based rent", None, "30% of household income")], docs="id ssn income",
        ages=(18, None), assured="2025-11-03",
        wait="Waitlist; placement typically takes 3-9 months.",
        needs="housing case_management", pay="medicaid", pop="adults",
        access="wheelchair_accessible",
    ),
    dict(
        slug="nextstep-shelter", org="nextstep", loc="nextstep",
        name="Next Step Young Adult Shelter",
        desc="Overnight shelter for young adults with 24 beds, dinner and breakfast, laundry, and youth workers who help with jobs, school and housing.",
        phones=["215-555-0149", ("215-555-0150", "text", "Text to check for a bed")],
        hours=["DAILY 19:00-08:00 # overnight; intake until 11 pm"], langs="en es",
        elig="Young adults ages 18 to 24; LGBTQ+ young people welcome.",
        apply="Walk in between 7 pm and 11 pm, or text ahead to check for a bed.",
        fees="Free.", cost=[FREE], docs="id_if", ages=(18, 24), assured="2026-09-08",
        needs="shelter", pay="free", pop="youth",
        access="walk_in same_day wheelchair_accessible",
    ),
    dict(
        slug="kensington-night-shelter", org="kensministry", loc="kensministry",
        name="Allegheny Avenue Night Shelter",
        desc="Low-barrier overnight shelter for adults with cots, a hot meal, and a harm reduction worker on site. Partners and pets are welcome.",
        phones=["215-555-0151"], hours=["DAILY 19:00-07:00"], langs="en es",
        elig="Adults 18+; no sobriety requirement.",
        apply="Line up at the side door from 6:30 pm; first come, first served.",
        fees="Free.", cost=[FREE], docs="nothing", ages=(18, None), assured="2026-11-02",
        needs="shelter", pay="free", pop="adults", access="walk_in same_day",
    ),
    dict(
        slug="camden-shelter", org="camdenshelter", loc="camdenshelter",
        name="Broadway Emergency Shelter",
        desc="Overnight emergency shelter for adults in Camden City, with dinner, showers and connection to housing case management.",
        phones=["856-555-0111"], hours=["DAILY 18:00-08:00"], langs="en es",
        elig="Adults 18+.",
        apply="Arrive between 6 pm and 9 pm for intake.",
        fees="Free.", cost=[FREE], docs="id_if", ages=(18, None), assured="2026-01-08",
        needs="shelter", pay="free", pop="adults", access="walk_in same_day",
    ),
    dict(
        slug="mainstreet-shelter", org="mainstreet", loc="mainstreet-dekalb",
        name="DeKalb Street Emergency Shelter",
        desc="Emergency shelter for single adults in Norristown with case management and a housing-focused 90-day stay.",
        phones=["610-555-0116"], hours=["24/7 # residents may stay during the day"], langs="en es",
        elig="Adults 18+ experiencing homelessness in Montgomery County.",
        apply="Call the county homeless hotline for a referral; we cannot accept walk-ins.",
        fees="Free.", cost=[FREE], docs="id_if", ages=(18, None), assured="2025-09-23",
        needs="shelter", pay="free", pop="adults", area="Montgomery County, PA",
    ),
    dict(
        slug="codeblue-bristol", org="codeblue", loc="codeblue-bristol",
        name="Pond Street Code Blue Warming Shelter",
        desc="Volunteer-run overnight warming shelter in Bristol with cots, hot soup and blankets on dangerously cold nights.",
        phones=["215-555-0152"], hours=["DAILY 19:00-07:00 # Code Blue nights only"], langs="en",
        elig="Anyone 18+ without a warm place to sleep.",
        apply="Walk in after 7 pm on Code Blue nights.",
        fees="Free.", cost=[FREE], docs="nothing", ages=(18, None), assured="2026-01-06",
        alert="Opens only when Bucks County declares a Code Blue (usually when it feels like 20 F or colder), typically December to March.",
        needs="shelter", pay="free", pop="adults", access="walk_in same_day",
        area="Lower Bucks County, PA",
    ),
    # -------------------------------------------------------------- veterans
    dict(
        slug="liberty-residence", org="liberty", loc="liberty-house",
        name="Liberty Bell Veterans House",
        desc="Transitional housing for up to two years for veterans experiencing homelessness, near the VA Medical Center, with peer mentors and employment help.",
        phones=["215-555-0153"], hours=["24/7 # staffed around the clock"], langs="en",
        elig="Veterans of any discharge status who are experiencing homelessness.",
        apply="Call for a screening or ask your VA social worker for a referral.",
        fees="Free. Residents with income are helped to save toward a security deposit.",
        cost=[FREE], docs="dd214 id_if", ages=(18, None), assured="2026-06-11",
        needs="shelter housing veterans_services", pay="free", pop="veterans",
        access="wheelchair_accessible",
    ),
    dict(
        slug="liberty-peer", org="liberty", loc="liberty-house",
        name="Liberty Bell Veteran Peer Outreach",
        desc="Veteran peer mentors meet fellow veterans one-on-one and in weekly groups, help connect them to VA care, and host a Saturday coffee hour.",
        phones=["215-555-0154"], hours=["MO-FR 09:00-17:00", "SA 09:00-11:00 # coffee hour"], langs="en",
        elig="Veterans and service members, any era and discharge status.",
        apply="Call or drop by the coffee hour.",
        fees="Free.", cost=[FREE], docs="nothing", ages=(18, None), assured="2026-06-11",
        needs="peer_support veterans_services", pay="free", pop="veterans",
        access="walk_in wheelchair_accessible",
    ),
    dict(
        slug="liberty-nj-benefits", org="liberty", loc="liberty-nj",
        name="Liberty Bell Veterans Benefits Help Desk - South Jersey",
        desc="Accredited veterans service officers help file VA disability, pension and health care claims and appeals.",
        phones=["856-555-0112"], hours=["TU,TH 09:00-15:00"], langs="en",
        elig="Veterans, survivors and dependents in South Jersey.",
        apply="Call to book an appointment.",
        fees="Free; we never charge for help with a VA claim.",
        cost=[FREE], docs="dd214 id letters", assured="2025-07-15",
        needs="benefits veterans_services", pay="free", pop="veterans",
        access="wheelchair_accessible",
    ),
    dict(
        slug="valleyforge-vets-counseling", org="valleyforge", loc="valleyforge-kop",
        name="Valley Forge Veterans Counseling",
        desc="Counseling for veterans and service members with PTSD, military sexual trauma, moral injury or readjustment stress, plus couples and family sessions.",
        phones=["610-555-0117"], hours=["MO-TH 09:00-20:00", "FR 09:00-15:00"], langs="en",
        elig="Veterans, service members, National Guard and Reserve members and their families.",
        apply="Call for an intake; TRICARE and VA Community Care referrals welcome.",
        fees="Private insurance (including TRICARE), VA Community Care authorizations, and a sliding fee.",
        cost=[copay(), sliding("$0-$60 per session based on income")], docs="dd214 ins",
        ages=(18, None), assured="2026-03-31",
        needs="counseling veterans_services", pay="private_insurance sliding_fee",
        pop="veterans", access="wheelchair_accessible",
    ),
    # ------------------------------------------------------------------ food
    dict(
        slug="kensington-food-cupboard", org="kensministry", loc="kensministry",
        name="Kensington Community Food Cupboard",
        desc="Pre-packed grocery boxes and a weekly hot lunch, no questions asked.",
        phones=["215-555-0155"], hours=["MO,WE 10:00-13:00", "SA 09:00-12:00"], langs="en es",
        elig="Anyone in need.",
        apply="Walk in during open hours.",
        fees="Free.", cost=[FREE], docs="nothing", assured="2026-11-02",
        needs="food", pay="free", access="walk_in same_day",
    ),
    dict(
        slug="mercytable-kitchen", org="mercytable", loc="mercytable",
        name="Mercy Table South Philly Kitchen",
        desc="Free hot meals served seven days a week, including weekend brunch.",
        phones=["215-555-0156"], hours=["MO-FR 11:30-13:30 # lunch", "SA,SU 10:00-12:00 # brunch"], langs="en",
        elig="Anyone who is hungry.",
        apply="Walk in.",
        fees="Free.", cost=[FREE], docs="nothing", assured="2026-05-06",
        needs="food", pay="free", access="walk_in same_day",
    ),
    dict(
        slug="wpn-pantry", org="wpnpantry", loc="wpnpantry",
        name="West Philly Neighbors Pantry",
        desc="Choice pantry where you pick your own groceries, including fresh produce from neighborhood gardens in summer.",
        phones=["215-555-0157"], hours=["TH 15:00-19:00", "SA 10:00-13:00"], langs="en",
        elig="Residents of ZIP codes 19104, 19131, 19139, 19143 and 19151.",
        apply="Walk in; bring something with your address on the first visit.",
        fees="Free.", cost=[FREE], docs="address", assured="2025-12-16",
        needs="food", pay="free", access="walk_in wheelchair_accessible",
    ),
    dict(
        slug="washave-pantry", org="washave", loc="washave",
        name="Washington Avenue Community Pantry",
        desc="Weekly pantry with rice, noodles, produce and staples, with volunteers who speak Vietnamese, Chinese and Spanish.",
        phones=["215-555-0158"], hours=["FR 13:00-16:00"], langs="en vi zh es",
        elig="South Philadelphia households.",
        apply="Walk in; register on your first visit.",
        fees="Free.", cost=[FREE], docs="id_if address", assured="2026-02-26",
        needs="food", pay="free", access="walk_in",
    ),
    dict(
        slug="cnu-food-hub", org="cnu", loc="cnu-cramerhill",
        name="Cramer Hill Food Hub",
        desc="Twice-weekly food distribution with produce, dairy and meat, plus home delivery for homebound seniors.",
        phones=["856-555-0113"], hours=["TU 10:00-13:00", "TH 16:00-19:00"], langs="en es",
        elig="Camden City residents.",
        apply="Walk in during distribution hours; call to request home delivery.",
        fees="Free.", cost=[FREE], docs="id_if address", assured="2026-10-13",
        needs="food", pay="free", access="walk_in",
    ),
    dict(
        slug="chester-kitchen", org="chesterkitchen", loc="chesterkitchen",
        name="Chester Community Kitchen",
        desc="Free weekday lunch and a monthly grocery giveaway in downtown Chester.",
        phones=["610-555-0118"], hours=["MO-FR 11:00-13:00", "SA 09:00-11:00 # grocery giveaway, last Saturday of the month"], langs="en",
        elig="Anyone in need.",
        apply="Walk in.",
        fees="Free.", cost=[FREE], docs="nothing", assured="2026-03-12",
        needs="food", pay="free", access="walk_in same_day",
    ),
    dict(
        slug="mainstreet-pantry", org="mainstreet", loc="mainstreet-pantry",
        name="Main Street Hope Pantry",
        desc="Food pantry and clothing closet in downtown Norristown.",
        phones=["610-555-0119"], hours=["MO 16:00-19:00", "WE 10:00-13:00"], langs="en es",
        elig="Montgomery County residents; once a month per household.",
        apply="Walk in with proof of address.",
        fees="Free.", cost=[FREE], docs="id address", assured="2025-09-23",
        needs="food", pay="free", access="walk_in",
    ),
    dict(
        slug="mayfair-senior-grocery", org="mayfair", loc="mayfair-senior",
        name="Mayfair Senior Grocery Program",
        desc="Monthly grocery boxes and a daily congregate lunch for older adults, with home delivery for members who cannot get out.",
        phones=["215-555-0159"], hours=["MO-FR 09:00-15:00 # lunch served at noon"], langs="en ru",
        elig="Adults 60 and older living in Northeast Philadelphia.",
        apply="Register at the front desk or by phone.",
        fees="Free; lunch donations welcome but not required.",
        cost=[FREE], docs="id address", ages=(60, None), assured="2026-04-09",
        needs="food", pay="free", pop="seniors", access="walk_in wheelchair_accessible",
    ),
    dict(
        slug="mayfair-senior-benefits", org="mayfair", loc="mayfair-senior",
        name="Mayfair Senior Benefits Check-Up",
        desc="One-on-one help for older adults with Medicare plan choices, Extra Help for prescriptions, PACE, SNAP and property tax and rent rebates.",
        phones=["215-555-0160"], hours=["TU,TH 10:00-14:00"], langs="en ru",
        elig="Adults 60 and older and their caregivers.",
        apply="Call to book a 45-minute appointment.",
        fees="Free.", cost=[FREE], docs="id medicare income letters", ages=(60, None), assured="2026-04-09",
        needs="benefits", pay="free", pop="seniors", access="wheelchair_accessible",
    ),
    # ------------------------------------------------------ legal & benefits
    dict(
        slug="cda-rights", org="cda", loc="cda",
        name="Commonwealth Disability Advocates Legal Help",
        desc="Free legal advice and representation for people with disabilities facing discrimination in housing, employment, school or public services, including reasonable accommodation requests.",
        phones=["215-555-0161"], hours=["MO-FR 09:00-17:00"], langs="en es",
        elig="Pennsylvania residents with a disability, including a psychiatric disability.",
        apply="Call the intake line; callers are screened and may be referred.",
        fees="Free.", cost=[FREE], docs="letters", assured="2026-01-20",
        needs="legal_advocacy", pay="free", access="wheelchair_accessible",
        area="Pennsylvania",
    ),
    dict(
        slug="cda-patient-rights", org="cda", loc="cda",
        name="Commonwealth Psychiatric Patient Rights Line",
        desc="Advocates explain your rights during involuntary commitment (302/303), in psychiatric hospitals and in residential programs, and can help you file a complaint.",
        phones=["215-555-0162"], hours=["MO-FR 09:00-17:00"], langs="en",
        elig="People receiving psychiatric care in Pennsylvania, and their families.",
        apply="Call; hospital patients can ask staff for a phone.",
        fees="Free.", cost=[FREE], docs="nothing", assured="2026-01-20",
        needs="legal_advocacy", pay="free", area="Pennsylvania",
    ),
    dict(
        slug="fairshare-benefits-appeals", org="fairshare", loc="fairshare-broad",
        name="Fairshare SSI, SSDI and Medicaid Appeals Clinic",
        desc="Lawyers and paralegals help with denied or cut-off SSI, SSDI, Medicaid and SNAP benefits, including hearings before a judge.",
        phones=["215-555-0163"], hours=["MO-FR 09:00-17:00", "WE 17:00-19:00 # evening walk-in clinic"], langs="en es",
        elig="Low-income Philadelphia residents.",
        apply="Call or come to the Wednesday evening walk-in clinic. Appeals have deadlines, so bring your notice as soon as possible.",
        fees="Free.", cost=[FREE], docs="id letters income", assured="2026-10-05",
        alert="Appeal deadlines can be as short as 10 days; contact us right away after a denial.",
        needs="legal_advocacy benefits", pay="free", access="walk_in wheelchair_accessible",
        area="Philadelphia County, PA",
    ),
    dict(
        slug="fairshare-tenant", org="fairshare", loc="fairshare-broad",
        name="Fairshare Tenant Rights Help Desk",
        desc="Advice and representation for renters facing eviction, lockouts or unsafe conditions.",
        phones=["215-555-0164"], hours=["MO-TH 09:00-16:00"], langs="en es",
        elig="Low-income Philadelphia renters.",
        apply="Call or walk in; bring court papers if you have a hearing date.",
        fees="Free.", cost=[FREE], docs="id lease", assured="2026-10-05",
        needs="legal_advocacy housing", pay="free", access="walk_in wheelchair_accessible",
        area="Philadelphia County, PA",
    ),
    dict(
        slug="sjmhr-rights", org="sjmhr", loc="sjmhr",
        name="South Jersey Mental Health Rights Project",
        desc="Legal advocacy for people with mental health conditions in South Jersey, including commitment hearings, guardianship and discrimination.",
        phones=["856-555-0114"], langs="en",
        elig="Residents of Camden, Burlington and Gloucester counties with a mental health condition.",
        apply="Call and leave a message; an advocate returns calls within two business days.",
        fees="Free.", cost=[FREE], docs="letters", assured="2024-02-20",
        needs="legal_advocacy", pay="free",
        area="Camden, Burlington and Gloucester counties, NJ",
    ),
    dict(
        slug="commontable-benefits", org="commontable", loc="commontable",
        name="Common Table Benefits Screening and Enrollment",
        desc="Counselors screen you for Medicaid, SNAP, SSI, LIHEAP, WIC and tax credits in one visit and help submit applications.",
        phones=["215-555-0165"], hours=["MO-FR 09:00-17:00", "SA 10:00-13:00"], langs="en es",
        elig="Philadelphia residents.",
        apply="Walk in or call to schedule.",
        fees="Free.", cost=[FREE], docs="id ssn income address", assured="2026-08-18",
        needs="benefits", pay="free", access="walk_in same_day wheelchair_accessible",
        area="Philadelphia County, PA",
    ),
    dict(
        slug="cnu-benefits", org="cnu", loc="cnu-cramerhill",
        name="Camden Neighbors Benefits Navigator",
        desc="Bilingual navigators help with NJ FamilyCare (Medicaid), SNAP, WIC and SSI applications and renewals.",
        phones=["856-555-0115"], hours=["MO-TH 09:00-16:00"], langs="es en",
        elig="Camden County residents.",
        apply="Walk in or call for an appointment.",
        fees="Free.", cost=[FREE], docs="id_if ssn income address", assured="2026-10-13",
        needs="benefits", pay="free", pop="spanish_speaking", access="walk_in",
    ),
    # ---------------------------------------------------- housing / other
    dict(
        slug="ridleycreek-housing", org="ridleycreek", loc="ridleycreek-media",
        name="Ridley Creek Housing Help Line",
        desc="Rental assistance applications, eviction prevention and housing search help for Delaware County residents.",
        phones=["610-555-0120"], langs="en",
        elig="Delaware County renters with low income.",
        apply="Call and leave a message; callbacks within a week.",
        fees="Free.", cost=[FREE], docs="id lease income", assured="2024-06-18",
        needs="housing", pay="free", area="Delaware County, PA",
    ),
    dict(
        slug="rancocas-counseling", org="rancocas", loc="rancocas",
        name="Rancocas Valley Counseling Center",
        desc="Outpatient counseling for children and adults in Burlington County.",
        phones=["856-555-0116"], langs="en",
        elig="Burlington County residents of any age.",
        apply="Call to schedule an intake.",
        fees="NJ FamilyCare (Medicaid) and private insurance.",
        cost=[copay()], docs="id ins", assured="2023-06-12",
        needs="counseling", pay="medicaid private_insurance",
        area="Burlington County, NJ",
    ),
    dict(
        slug="pointbreeze-counseling", org="pointbreeze", loc="pointbreeze",
        name="Point Breeze Counseling Center", status="inactive",
        desc="Former neighborhood outpatient counseling clinic in South Philadelphia.",
        phones=["215-555-0166"], hours=["MO-FR 09:00-17:00"], langs="en",
        elig="Adults 18+.",
        apply="No longer accepting clients.",
        fees="Medicaid and private insurance.",
        cost=[copay()], docs="id ins", ages=(18, None), assured="2025-03-14",
        alert="This clinic closed in March 2025. Former clients were transferred to Cedar Park Community Counseling.",
        needs="counseling", pay="medicaid private_insurance",
    ),
    # ======================================================================
    # REAL national lines (published numbers; not fictional).
    # ======================================================================
    dict(
        slug="988-lifeline", org="vibrant", loc="virtual-988", real=True,
        name="988 Suicide & Crisis Lifeline",
        url="https://988lifeline.org/",
        desc="Free and confidential support for people in suicidal crisis or emotional distress, 24 hours a day, 7 days a week, anywhere in the United States. Call or text 988, or chat at 988lifeline.org; Spanish-speaking counselors are available by pressing 2.",
        phones=[("988", "voice", "Call 988 (press 2 for Spanish)"), ("988", "text", "Text 988")],
        hours=["24/7"], langs="en es",
        interp="Spanish-speaking counselors (press 2); interpretation for many other languages on calls.",
        elig="Anyone in the United States, for themselves or for someone they are worried about.",
        apply="Call or text 988, or chat online at https://988lifeline.org/chat. No appointment or insurance needed.",
        fees="Free. Standard message and data rates may apply to texts.",
        cost=[FREE], docs="nothing", assured="2026-10-01",
        needs="crisis_lines", pay="free", pop="spanish_speaking", area="United States",
    ),
    dict(
        slug="samhsa-helpline", org="samhsa", loc="virtual-samhsa", real=True,
        name="SAMHSA National Helpline",
        url="https://www.samhsa.gov/find-help/national-helpline",
        desc="Free, confidential treatment referral and information service, in English and Spanish, for individuals and families facing mental and/or substance use disorders, 24 hours a day, 365 days a year. It does not provide counseling but refers callers to local treatment facilities, support groups and community organizations.",
        phones=[("1-800-662-4357", "voice", "1-800-662-HELP"), ("1-800-487-4889", "textphone", "TTY")],
        hours=["24/7"], langs="en es",
        elig="Anyone in the United States.",
        apply="Call 1-800-662-4357 (1-800-662-HELP). No insurance needed.",
        fees="Free.", cost=[FREE], docs="nothing", assured="2026-10-01",
        needs="crisis_lines substance_use", pay="free", pop="spanish_speaking", area="United States",
    ),
    dict(
        slug="crisis-text-line", org="ctl", loc="virtual-ctl", real=True,
        name="Crisis Text Line",
        url="https://www.crisistextline.org/",
        desc="Free, 24/7 text-based support from trained volunteer Crisis Counselors for anyone in crisis. Text HOME to 741741 from anywhere in the United States.",
        phones=[("741741", "text", "Text HOME to 741741")],
        hours=["24/7"], langs="en",
        elig="Anyone in the United States.",
        apply="Text HOME to 741741.",
        fees="Free. Standard message and data rates may apply.",
        cost=[FREE], docs="nothing", assured="2026-10-01",
        needs="crisis_lines", pay="free", area="United States",
    ),
    dict(
        slug="veterans-crisis-line", org="va", loc="virtual-vcl", real=True,
        name="Veterans Crisis Line",
        url="https://www.veteranscrisisline.net/",
        desc="Free, confidential support 24/7 for veterans, service members, National Guard and Reserve members, and the people who support them. Dial 988 then press 1, text 838255, or chat online. You do not need to be enrolled in VA benefits or health care.",
        phones=[("988", "voice", "Dial 988 then press 1"), ("838255", "text", "Text 838255")],
        hours=["24/7"], langs="en",
        elig="Veterans, service members, National Guard and Reserve members, and their families and friends.",
        apply="Dial 988 then press 1, text 838255, or chat at https://www.veteranscrisisline.net.",
        fees="Free.", cost=[FREE], docs="nothing", assured="2026-10-01",
        needs="crisis_lines veterans_services", pay="free", pop="veterans", area="United States",
    ),
]


# --------------------------------------------------------------------------
# Builders
# --------------------------------------------------------------------------
DAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
DAY_NAMES = dict(zip(DAY_CODES, ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]))
HOURS_RE = re.compile(r"^(?P<days>[A-Z,\-]+) (?P<open>\d\d:\d\d)-(?P<close>\d\d:\d\d)$")
FICTIONAL_PHONE = re.compile(r"^(215|267|610|856)-555-01\d\d$")


def expand_days(spec: str) -> list[str]:
    if spec == "DAILY":
        return list(DAY_CODES)
    days: list[str] = []
    for part in spec.split(","):
        if "-" in part:
            a, b = part.split("-")
            days += DAY_CODES[DAY_CODES.index(a): DAY_CODES.index(b) + 1]
        else:
            assert part in DAY_CODES, part
            days.append(part)
    return days


def describe_days(days: list[str]) -> str:
    if days == DAY_CODES:
        return "Daily"
    idx = [DAY_CODES.index(d) for d in days]
    if len(idx) > 1 and idx == list(range(idx[0], idx[-1] + 1)):
        return f"{DAY_NAMES[days[0]]}-{DAY_NAMES[days[-1]]}"
    return ", ".join(DAY_NAMES[d] for d in days)


def describe_time(hhmm: str) -> str:
    h, m = map(int, hhmm.split(":"))
    if (h, m) in ((0, 0), (23, 59)):
        return "midnight"
    if (h, m) == (12, 0):
        return "noon"
    suffix = "am" if h < 12 else "pm"
    h12 = h % 12 or 12
    return f"{h12} {suffix}" if m == 0 else f"{h12}:{m:02d} {suffix}"


def schedules(slug: str, hours: list[str]) -> list[dict]:
    out = []
    for n, spec in enumerate(hours, 1):
        spec, _, note = (s.strip() for s in spec.partition("#"))
        if spec == "24/7":
            days, opens, closes = list(DAY_CODES), "00:00", "23:59"
            desc = "Open 24 hours a day, 7 days a week"
        else:
            m = HOURS_RE.match(spec)
            assert m, f"{slug}: bad hours {spec!r}"
            days, opens, closes = expand_days(m["days"]), m["open"], m["close"]
            desc = f"{describe_days(days)} {describe_time(opens)}-{describe_time(closes)}"
            if closes <= opens:
                desc += " (overnight, closes the next morning)"
        if note:
            desc += f"; {note}"
        out.append({
            "id": uid(f"schedule/{slug}/{n}"),
            "freq": "WEEKLY",
            "byday": ",".join(days),
            "opens_at": opens,
            "closes_at": closes,
            "description": desc,
        })
    return out


def phones(slug: str, specs: list) -> list[dict]:
    out = []
    for n, spec in enumerate(specs, 1):
        number, kind, desc = (spec, "voice", "Main line") if isinstance(spec, str) else spec
        phone = {
            "id": uid(f"phone/{slug}/{n}"),
            "number": number,
            "type": kind,
            "description": desc,
            "languages": [],
        }
        if "press 2 for Spanish" in desc:
            phone["languages"] = [{
                "id": uid(f"phone/{slug}/{n}/language/es"),
                "name": "Spanish",
                "code": "es",
                "note": "Press 2 for Spanish",
            }]
        out.append(phone)
    return out


def location(slug: str) -> dict:
    spec = LOCATIONS[slug]
    if spec[0] == "virtual":
        return {"id": uid(f"location/{slug}"), "location_type": "virtual", "name": spec[1]}
    name, street, city, state, zip_code, lat, lon, access = spec
    loc = {
        "id": uid(f"location/{slug}"),
        "location_type": "physical",
        "name": name,
        "latitude": lat,
        "longitude": lon,
        "addresses": [{
            "id": uid(f"address/{slug}"),
            "address_1": street,
            "city": city,
            "state_province": state,
            "postal_code": zip_code,
            "country": "US",
            "address_type": "physical",
        }],
    }
    if access:
        loc["accessibility"] = [{"id": uid(f"accessibility/{slug}"), "description": access}]
    return loc


def organization(slug: str) -> dict:
    name, desc, host = ORGS[slug]
    org = {"id": uid(f"organization/{slug}"), "name": name, "description": desc}
    if slug in REAL_ORGS:
        org["website"] = host
    else:
        org["email"] = f"info.{host}@example.org"
        org["website"] = f"https://{host}.example.org/"
    return org


def attribute(service_slug: str, service_id: str, taxonomy: str, code: str) -> dict:
    term_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{TAXONOMY}{taxonomy}/{code}"))
    name = TERMS[taxonomy][code]
    return {
        "id": uid(f"attribute/{service_slug}/{taxonomy}/{code}"),
        "taxonomy_term_id": term_id,
        "link_type": taxonomy,
        "link_entity": "service",
        "link_id": service_id,
        "value": code,
        "taxonomy_term": {
            "id": term_id,
            "code": code,
            "name": name,
            "description": name,
            "taxonomy": taxonomy,
            "taxonomy_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{TAXONOMY}{taxonomy}")),
        },
    }


def last_modified(slug: str, assured: str) -> str:
    """Deterministic time of day on the assured date (no clock used)."""
    n = zlib.crc32(slug.encode())
    return f"{assured}T{9 + n % 8:02d}:{n // 8 % 60:02d}:00Z"


def build(s: dict) -> dict:
    slug = s["slug"]
    sid = uid(f"service/{slug}")
    real = s.get("real", False)
    host = ORGS[s["org"]][2]
    desc = s["desc"] if real else s["desc"] + " Fictional sample record."
    out = {
        "id": sid,
        "name": s["name"],
        "description": desc,
        "url": s["url"] if real else f"https://{host}.example.org/{slug}",
    }
    if not real:
        out["email"] = f"{slug}@example.org"
    out["status"] = s.get("status", "active")
    if s.get("interp"):
        out["interpretation_services"] = s["interp"]
    out["application_process"] = s["apply"]
    out["fees_description"] = s["fees"]
    if s.get("wait"):
        out["wait_time"] = s["wait"]
    out["eligibility_description"] = s["elig"]
    lo, hi = s.get("ages", (None, None))
    if lo is not None:
        out["minimum_age"] = lo
    if hi is not None:
        out["maximum_age"] = hi
    out["assured_date"] = s["assured"]
    if s.get("alert"):
        out["alert"] = s["alert"]
    out["last_modified"] = last_modified(slug, s["assured"])
    out["phones"] = phones(slug, s["phones"])
    out["schedules"] = schedules(slug, s.get("hours", []))
    if s.get("area"):
        out["service_areas"] = [{
            "id": uid(f"service_area/{slug}/1"),
            "name": s["area"],
            "description": f"Serves {s['area']}.",
        }]
    locs = s["loc"] if isinstance(s["loc"], list) else [s["loc"]]
    out["service_at_locations"] = [
        {"id": uid(f"service_at_location/{slug}/{loc}"), "location": location(loc)} for loc in locs
    ]
    out["languages"] = [
        {"id": uid(f"language/{slug}/{code}"), "name": LANGS[code], "code": code}
        for code in s.get("langs", "en").split()
    ]
    out["organization"] = organization(s["org"])
    out["cost_options"] = []
    for n, (option, amount, amount_desc) in enumerate(s["cost"], 1):
        co = {"id": uid(f"cost_option/{slug}/{n}"), "option": option}
        if amount is not None:
            co["amount"] = amount
            co["currency"] = "USD"
        if amount_desc:
            co["amount_description"] = amount_desc
        out["cost_options"].append(co)
    out["required_documents"] = [
        {"id": uid(f"required_document/{slug}/{n}"), "document": DOCS[key]}
        for n, key in enumerate(s["docs"].split(), 1)
    ]
    out["attributes"] = [
        attribute(slug, sid, taxonomy, code)
        for key, taxonomy in TAG_KEYS.items()
        for code in s.get(key, "").split()
    ]
    return out


# --------------------------------------------------------------------------
# Sanity checks on the source data (cheap; keep the sample coherent).
# --------------------------------------------------------------------------
def check(services: list[dict]) -> None:
    slugs = [s["slug"] for s in services]
    assert len(slugs) == len(set(slugs)), "duplicate service slug"
    numbers = []
    for s in services:
        slug, real = s["slug"], s.get("real", False)
        for key, taxonomy in TAG_KEYS.items():
            for code in s.get(key, "").split():
                assert code in TERMS[taxonomy], f"{slug}: unknown {taxonomy} code {code}"
        assert 1 <= len(s["needs"].split()) <= 3, f"{slug}: 1-3 needs"
        pay, pop, access = s["pay"].split(), s.get("pop", "").split(), s.get("access", "").split()
        options = [c[0] for c in s["cost"]]
        assert ("free" in pay) == ("Free" in options), f"{slug}: free tag vs cost option"
        assert ("sliding_fee" in pay) == ("Sliding fee scale" in options), f"{slug}: sliding fee"
        langs = s.get("langs", "en").split()
        assert all(code in LANGS for code in langs), slug
        if "spanish_speaking" in pop:
            assert "es" in langs, f"{slug}: spanish_speaking without Spanish"
        if "deaf_hard_of_hearing" in pop:
            assert "ase" in langs, f"{slug}: Deaf-serving without ASL"
        locs = s["loc"] if isinstance(s["loc"], list) else [s["loc"]]
        kinds = {LOCATIONS[loc][0] == "virtual" for loc in locs}
        if "telehealth" in access:
            assert True in kinds, f"{slug}: telehealth without a virtual location"
        if "wheelchair_accessible" in access:
            assert any(LOCATIONS[loc][0] != "virtual" and LOCATIONS[loc][7] for loc in locs), slug
        for loc in locs:
            spec = LOCATIONS[loc]
            if spec[0] != "virtual":
                lat, lon, state = spec[5], spec[6], spec[3]
                assert 39.7 < lat < 40.4 and -75.9 < lon < -74.7 and state in ("PA", "NJ"), loc
        assert re.fullmatch(r"20\d\d-\d\d-\d\d", s["assured"]), slug
        lo, hi = s.get("ages", (None, None))
        if "seniors" in pop:
            assert lo == 60, slug
        if lo is not None and hi is not None:
            assert lo <= hi, slug
        if not real:
            assert s["org"] not in REAL_ORGS, slug
            for spec in s["phones"]:
                number = spec if isinstance(spec, str) else spec[0]
                assert FICTIONAL_PHONE.match(number), f"{slug}: {number} not in 555-01xx"
                numbers.append(number)
    assert len(numbers) == len(set(numbers)), "fictional phone number used twice"


def main() -> None:
    check(SERVICES)
    services = [build(s) for s in SERVICES]
    OUT.write_text(
        json.dumps(services, indent=2, sort_keys=False, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    print(f"wrote {len(services)} services to {OUT}")


if __name__ == "__main__":
    main()
