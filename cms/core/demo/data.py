"""Static sample data: real French places and plausible partners, organisations and mission texts.

Everything here is plain data so that the demo and the benchmark data set draw from the same distributions.
Coordinates are those of each city's centre; postcodes are real and map to the right department through
``cms.core.geo.department_from_postcode``.
"""

from __future__ import annotations

from typing import NamedTuple


class City(NamedTuple):
    name: str
    postcode: str
    latitude: float
    longitude: float
    weight: int  # rough population weight: big cities get more missions and stores


CITIES: tuple[City, ...] = (
    City("Paris", "75011", 48.8590, 2.3790, 40),
    City("Paris", "75018", 48.8925, 2.3444, 30),
    City("Paris", "75013", 48.8322, 2.3561, 30),
    City("Marseille", "13001", 43.2965, 5.3698, 30),
    City("Marseille", "13008", 43.2407, 5.3811, 20),
    City("Lyon", "69003", 45.7597, 4.8422, 25),
    City("Lyon", "69007", 45.7456, 4.8420, 15),
    City("Toulouse", "31000", 43.6047, 1.4442, 30),
    City("Nice", "06000", 43.7102, 7.2620, 20),
    City("Nantes", "44000", 47.2184, -1.5536, 20),
    City("Montpellier", "34000", 43.6108, 3.8767, 18),
    City("Strasbourg", "67000", 48.5734, 7.7521, 18),
    City("Bordeaux", "33000", 44.8378, -0.5792, 18),
    City("Lille", "59000", 50.6292, 3.0573, 18),
    City("Rennes", "35000", 48.1173, -1.6778, 14),
    City("Reims", "51100", 49.2583, 4.0317, 10),
    City("Toulon", "83000", 43.1242, 5.9280, 10),
    City("Saint-Étienne", "42000", 45.4397, 4.3872, 10),
    City("Le Havre", "76600", 49.4944, 0.1079, 10),
    City("Grenoble", "38000", 45.1885, 5.7245, 10),
    City("Dijon", "21000", 47.3220, 5.0415, 8),
    City("Angers", "49000", 47.4784, -0.5632, 8),
    City("Nîmes", "30000", 43.8367, 4.3601, 8),
    City("Villeurbanne", "69100", 45.7719, 4.8902, 8),
    City("Clermont-Ferrand", "63000", 45.7772, 3.0870, 8),
    City("Le Mans", "72000", 48.0061, 0.1996, 8),
    City("Aix-en-Provence", "13100", 43.5297, 5.4474, 8),
    City("Brest", "29200", 48.3904, -4.4861, 7),
    City("Tours", "37000", 47.3941, 0.6848, 7),
    City("Amiens", "80000", 49.8941, 2.2958, 7),
    City("Limoges", "87000", 45.8336, 1.2611, 7),
    City("Annecy", "74000", 45.8992, 6.1294, 6),
    City("Perpignan", "66000", 42.6887, 2.8948, 6),
    City("Metz", "57000", 49.1193, 6.1757, 6),
    City("Besançon", "25000", 47.2378, 6.0241, 6),
    City("Orléans", "45000", 47.9030, 1.9093, 6),
    City("Rouen", "76000", 49.4432, 1.0999, 6),
    City("Caen", "14000", 49.1829, -0.3707, 6),
    City("Mulhouse", "68100", 47.7508, 7.3359, 5),
    City("Nancy", "54000", 48.6921, 6.1844, 5),
    City("Saint-Denis", "93200", 48.9362, 2.3574, 6),
    City("Montreuil", "93100", 48.8638, 2.4485, 5),
    City("Argenteuil", "95100", 48.9472, 2.2467, 5),
    City("Roubaix", "59100", 50.6942, 3.1746, 4),
    City("Avignon", "84000", 43.9493, 4.8055, 4),
    City("Poitiers", "86000", 46.5802, 0.3404, 4),
    City("Pau", "64000", 43.2951, -0.3708, 4),
    City("Bayonne", "64100", 43.4929, -1.4748, 3),
    City("La Rochelle", "17000", 46.1603, -1.1511, 4),
    City("Ajaccio", "20000", 41.9192, 8.7386, 3),
    City("Bastia", "20200", 42.6977, 9.4508, 2),
    City("Quimper", "29000", 47.9960, -4.1020, 3),
    City("Vannes", "56000", 47.6582, -2.7608, 3),
    City("Saint-Brieuc", "22000", 48.5141, -2.7603, 2),
    City("Valence", "26000", 44.9334, 4.8924, 3),
    City("Chambéry", "73000", 45.5646, 5.9178, 3),
    City("Niort", "79000", 46.3237, -0.4588, 3),
    City("Troyes", "10000", 48.2973, 4.0744, 3),
    City("Bourges", "18000", 47.0810, 2.3988, 2),
    City("Auxerre", "89000", 47.7986, 3.5673, 2),
    City("Laval", "53000", 48.0707, -0.7734, 2),
    City("Colmar", "68000", 48.0794, 7.3585, 2),
    City("Béziers", "34500", 43.3442, 3.2158, 2),
    City("Albi", "81000", 43.9289, 2.1464, 2),
    City("Tarbes", "65000", 43.2328, 0.0781, 2),
    City("Cherbourg-en-Cotentin", "50100", 49.6337, -1.6222, 2),
    City("Châteauroux", "36000", 46.8103, 1.6913, 2),
    City("Gap", "05000", 44.5594, 6.0786, 1),
    City("Digne-les-Bains", "04000", 44.0925, 6.2356, 1),
    City("Mende", "48000", 44.5181, 3.5007, 1),
    City("Aurillac", "15000", 44.9264, 2.4400, 1),
    City("Beauvais", "60000", 49.4295, 2.0807, 2),
    City("Arras", "62000", 50.2910, 2.7775, 2),
    City("Évry-Courcouronnes", "91000", 48.6290, 2.4410, 3),
    City("Versailles", "78000", 48.8049, 2.1204, 3),
    City("Nanterre", "92000", 48.8924, 2.2071, 3),
    City("Créteil", "94000", 48.7904, 2.4556, 3),
    City("Melun", "77000", 48.5421, 2.6554, 2),
    City("Cergy", "95000", 49.0364, 2.0761, 2),
    City("Fort-de-France", "97200", 14.6161, -61.0588, 2),
    City("Pointe-à-Pitre", "97110", 16.2411, -61.5331, 2),
    City("Saint-Denis", "97400", -20.8821, 55.4507, 3),
    City("Cayenne", "97300", 4.9224, -52.3135, 1),
)

STREETS: tuple[str, ...] = (
    "rue de la République",
    "avenue Jean Jaurès",
    "place de la Mairie",
    "rue Victor Hugo",
    "boulevard Gambetta",
    "rue Pasteur",
    "rue du Général Leclerc",
    "allée des Tilleuls",
    "rue de la Gare",
    "rue Jules Ferry",
    "avenue de la Libération",
    "rue Nationale",
    "place du Marché",
    "rue des Écoles",
    "quai de la Loire",
    "rue Jean Moulin",
    "boulevard Voltaire",
    "rue Émile Zola",
)


class Partner(NamedTuple):
    name: str
    slug: str
    colour: str
    category: str  # OfferCategory slug
    needs: tuple[str, ...]  # Need slugs
    products: tuple[str, ...]
    description: str
    website: str


PARTNERS: tuple[Partner, ...] = (
    Partner(
        "Supermarché Solidaire",
        "supermarche-solidaire",
        "#2e7d32",
        "courses-alimentation",
        ("se-nourrir",),
        (
            "courses du quotidien",
            "fruits et légumes frais",
            "produits d'hygiène",
            "paniers anti-gaspi",
            "produits d'épicerie bio",
        ),
        "Une enseigne de proximité qui aide les jeunes à remplir leur frigo sans vider leur compte.",
        "https://www.supermarche-solidaire.fr",
    ),
    Partner(
        "Mobilité Jeunes",
        "mobilite-jeunes",
        "#1565c0",
        "mobilite-transport",
        ("se-deplacer",),
        (
            "abonnements de vélo en libre-service",
            "trajets en covoiturage",
            "billets de train",
            "trottinettes",
            "révisions de vélo",
        ),
        "Des solutions de transport pour aller en formation, au travail ou en mission.",
        "https://www.mobilite-jeunes.fr",
    ),
    Partner(
        "Télécom Horizon",
        "telecom-horizon",
        "#6a1b9a",
        "telephonie-internet",
        ("rester-connecte",),
        ("forfaits mobiles", "box internet", "smartphones reconditionnés", "cartes SIM", "accessoires"),
        "Un opérateur qui propose des forfaits adaptés aux petits budgets.",
        "https://www.telecom-horizon.fr",
    ),
    Partner(
        "Banque Avenir",
        "banque-avenir",
        "#00695c",
        "banque-assurance",
        ("premier-logement",),
        (
            "ouvertures de compte",
            "cartes bancaires",
            "assurances habitation",
            "prêts étudiants",
            "conseils budgétaires",
        ),
        "Une banque en ligne qui accompagne les premiers pas dans la vie autonome.",
        "https://www.banque-avenir.fr",
    ),
    Partner(
        "Ciné Lumière",
        "cine-lumiere",
        "#c62828",
        "culture-loisirs",
        ("se-divertir",),
        ("places de cinéma", "cartes 5 places", "avant-premières", "menus pop-corn", "séances en plein air"),
        "Un réseau de cinémas de quartier et d'art et essai.",
        "https://www.cine-lumiere.fr",
    ),
    Partner(
        "Sport Forme Club",
        "sport-forme-club",
        "#ef6c00",
        "sport",
        ("se-soigner",),
        ("abonnements en salle", "cours collectifs", "séances de coaching", "accès piscine", "stages d'escalade"),
        "Une chaîne de salles de sport présente dans toute la France.",
        "https://www.sportformeclub.fr",
    ),
    Partner(
        "Auto-école Réussite",
        "auto-ecole-reussite",
        "#283593",
        "formation-permis",
        ("permis-de-conduire", "se-former"),
        ("heures de conduite", "forfaits code de la route", "stages accélérés", "permis moto", "examens blancs"),
        "Un réseau d'auto-écoles partenaires pour passer son permis sans se ruiner.",
        "https://www.autoecole-reussite.fr",
    ),
    Partner(
        "Librairie des Quartiers",
        "librairie-des-quartiers",
        "#4e342e",
        "culture-loisirs",
        ("se-former", "se-divertir"),
        ("romans", "manuels scolaires", "bandes dessinées", "livres d'occasion", "fournitures"),
        "Des librairies indépendantes qui soutiennent la lecture chez les jeunes.",
        "https://www.librairie-des-quartiers.fr",
    ),
    Partner(
        "Pharmacie Santé Plus",
        "pharmacie-sante-plus",
        "#00838f",
        "sante-bien-etre",
        ("se-soigner",),
        ("produits de soin", "lunettes de vue", "bilans de santé", "protections périodiques", "crèmes solaires"),
        "Un groupement de pharmacies engagé pour la santé des jeunes.",
        "https://www.pharmacie-santeplus.fr",
    ),
    Partner(
        "Tech Occasion",
        "tech-occasion",
        "#37474f",
        "equipement-high-tech",
        ("s-equiper", "rester-connecte"),
        ("ordinateurs reconditionnés", "tablettes", "réparations d'écran", "casques audio", "imprimantes"),
        "Du matériel informatique reconditionné et garanti, pour étudier et chercher un emploi.",
        "https://www.tech-occasion.fr",
    ),
    Partner(
        "Assur'Jeunes",
        "assur-jeunes",
        "#ad1457",
        "banque-assurance",
        ("premier-logement", "se-deplacer"),
        ("assurances auto", "assurances habitation", "complémentaires santé", "assurances vélo", "garanties scolaires"),
        "Une mutuelle qui protège les jeunes actifs et les étudiants.",
        "https://www.assurjeunes.fr",
    ),
    Partner(
        "Toit Étudiant",
        "toit-etudiant",
        "#558b2f",
        "logement",
        ("premier-logement",),
        ("frais de dossier", "premiers mois de loyer", "kits d'installation", "meubles d'occasion", "déménagements"),
        "Une agence spécialisée dans le logement des étudiants et des jeunes actifs.",
        "https://www.toit-etudiant.fr",
    ),
)

#: Sample organisations: name, kind, and the mission domains their missions are in.
ORGANISATIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Lire et Grandir", "association", ("education", "culture-loisirs")),
    ("Banque Alimentaire Solidaire", "association", ("solidarite-insertion", "humanitaire")),
    ("Les Jardins Partagés du Quartier", "association", ("environnement", "vivre-ensemble")),
    ("Secours Fraternel", "association", ("solidarite-insertion", "humanitaire")),
    ("Sport Pour Tous Ensemble", "association", ("sport",)),
    ("Fondation Avenir Jeunesse", "foundation", ("education", "solidarite-insertion")),
    (
        "Mairie de Villeneuve-sur-Lot",
        "local_authority",
        ("vivre-ensemble", "environnement", "memoire-et-citoyennete", "service-public-defense-securite"),
    ),
    (
        "Centre Communal d'Action Sociale de Tours",
        "local_authority",
        ("solidarite-insertion", "sante", "vivre-ensemble"),
    ),
    ("Agence Nationale de la Cohésion", "public_body", ("vivre-ensemble", "memoire-et-citoyennete")),
    ("Les Petits Frères du Voisinage", "association", ("vivre-ensemble", "solidarite-insertion")),
    ("Cap Numérique Solidaire", "association", ("numerique",)),
    ("Mémoire et Territoires", "association", ("memoire-et-citoyennete",)),
    ("Refuge des Animaux de Provence", "association", ("animaux",)),
    ("Nature et Littoral", "association", ("environnement",)),
    ("Étudiants Sans Frontières", "association", ("humanitaire", "education")),
    ("Maison des Jeunes et de la Culture de Brest", "association", ("culture-loisirs", "sport", "education")),
    ("Croix Solidaire de Lyon", "association", ("humanitaire", "sante", "prevention-protection")),
    ("Fédération des Clubs Sportifs de Quartier", "association", ("sport",)),
    ("Hôpital Saint-Louis — service bénévolat", "public_body", ("sante",)),
    ("Collectif Zéro Déchet", "association", ("environnement",)),
    ("Réseau Entraide Emploi", "association", ("solidarite-insertion",)),
    ("Les Ateliers du Vélo", "association", ("environnement", "sport")),
    ("Théâtre en Partage", "association", ("culture-loisirs",)),
    ("Protection Civile Départementale", "association", ("prevention-protection", "service-public-defense-securite")),
    ("Musée de la Résistance et de la Déportation", "public_body", ("memoire-et-citoyennete", "culture-loisirs")),
    ("Coopérative Insertion Bâtiment", "company", ("solidarite-insertion",)),
    ("Fondation Santé Jeunes", "foundation", ("sante", "prevention-protection")),
    ("Habitat et Humanisme Local", "association", ("solidarite-insertion", "vivre-ensemble")),
    ("Écoute Jeunes Solidarité", "association", ("sante", "prevention-protection", "vivre-ensemble")),
    ("Université Populaire du Numérique", "other", ("numerique", "education")),
)


class DomainTexts(NamedTuple):
    titles: tuple[str, ...]
    intro: str
    tasks: tuple[str, ...]
    activities: tuple[str, ...]


DOMAIN_TEXTS: dict[str, DomainTexts] = {
    "education": DomainTexts(
        (
            "Accompagner des enfants dans leurs devoirs",
            "Animer des ateliers de lecture en bibliothèque",
            "Soutenir des collégiens en décrochage scolaire",
            "Aider des adultes à apprendre le français",
        ),
        "Vous rejoindrez une équipe qui lutte contre les inégalités scolaires dès le plus jeune âge.",
        (
            "aider les enfants à organiser leur travail",
            "préparer des activités ludiques autour de la lecture",
            "échanger avec les familles et les enseignants",
            "participer aux sorties culturelles",
        ),
        ("soutien scolaire", "lecture", "alphabétisation"),
    ),
    "environnement": DomainTexts(
        (
            "Sensibiliser au tri et à la réduction des déchets",
            "Entretenir un jardin partagé en ville",
            "Participer au nettoyage des plages et des berges",
            "Animer des ateliers de réparation de vélos",
        ),
        "Vous agirez concrètement pour la protection de l'environnement au plus près des habitants.",
        (
            "animer des stands de sensibilisation",
            "organiser des collectes et des ramassages",
            "entretenir les espaces verts avec les bénévoles",
            "mesurer et partager les résultats des actions",
        ),
        ("sensibilisation", "jardinage", "réemploi"),
    ),
    "solidarite-insertion": DomainTexts(
        (
            "Distribuer des repas aux personnes sans abri",
            "Accompagner des familles dans leurs démarches administratives",
            "Tenir l'accueil d'une épicerie solidaire",
            "Rompre l'isolement de personnes âgées",
        ),
        "Vous viendrez en aide aux personnes en situation de précarité, dans le respect et l'écoute.",
        (
            "accueillir et orienter les personnes",
            "préparer et distribuer les colis alimentaires",
            "rendre visite aux personnes isolées",
            "participer aux maraudes du soir",
        ),
        ("aide alimentaire", "accompagnement", "lutte contre l'isolement"),
    ),
    "sante": DomainTexts(
        (
            "Accueillir les patients et leurs familles à l'hôpital",
            "Sensibiliser les jeunes aux gestes de premiers secours",
            "Animer des actions de prévention santé",
        ),
        "Vous contribuerez à rendre la santé plus accessible et à améliorer le quotidien des patients.",
        (
            "accueillir et accompagner les visiteurs",
            "animer des ateliers de prévention",
            "proposer des activités aux patients hospitalisés",
        ),
        ("prévention", "accueil", "accompagnement des patients"),
    ),
    "sport": DomainTexts(
        (
            "Encadrer des jeunes lors d'entraînements de football",
            "Développer le sport pour les personnes en situation de handicap",
            "Organiser un tournoi sportif de quartier",
        ),
        "Vous ferez du sport un outil d'inclusion et de lien social.",
        (
            "aider à l'encadrement des séances",
            "organiser les déplacements et les rencontres",
            "accueillir de nouveaux adhérents",
        ),
        ("encadrement sportif", "événementiel", "handisport"),
    ),
    "culture-loisirs": DomainTexts(
        (
            "Faire découvrir le théâtre aux jeunes des quartiers",
            "Accueillir le public d'un festival de musique",
            "Participer à la médiation culturelle dans un musée",
        ),
        "Vous ouvrirez les portes de la culture à des publics qui en sont éloignés.",
        (
            "accueillir et guider le public",
            "animer des visites et des ateliers",
            "participer à la communication des événements",
        ),
        ("médiation culturelle", "événementiel", "accueil du public"),
    ),
    "numerique": DomainTexts(
        (
            "Accompagner les seniors dans l'usage du numérique",
            "Animer des ateliers de découverte du code",
            "Aider aux démarches administratives en ligne",
        ),
        "Vous aiderez chacun à trouver sa place dans un monde de plus en plus numérique.",
        (
            "animer des ateliers d'initiation",
            "accompagner individuellement les usagers",
            "reconditionner du matériel informatique",
        ),
        ("inclusion numérique", "formation", "reconditionnement"),
    ),
    "animaux": DomainTexts(
        (
            "Prendre soin des animaux d'un refuge",
            "Participer à la protection de la faune sauvage",
        ),
        "Vous prendrez soin d'animaux abandonnés ou blessés et sensibiliserez le public à leur protection.",
        (
            "nourrir et soigner les animaux",
            "promener les chiens du refuge",
            "accueillir les familles adoptantes",
        ),
        ("soin aux animaux", "sensibilisation"),
    ),
    "memoire-et-citoyennete": DomainTexts(
        (
            "Recueillir la mémoire des anciens du quartier",
            "Animer des ateliers de citoyenneté au collège",
        ),
        "Vous ferez vivre la mémoire collective et les valeurs de la République auprès des jeunes.",
        (
            "recueillir des témoignages",
            "préparer des commémorations",
            "animer des débats en classe",
        ),
        ("mémoire", "citoyenneté", "médiation"),
    ),
    "prevention-protection": DomainTexts(
        (
            "Renforcer une équipe de secouristes bénévoles",
            "Participer à la sécurité d'événements publics",
        ),
        "Vous participerez à la protection des populations lors d'événements et de situations d'urgence.",
        (
            "tenir des postes de secours",
            "participer aux formations aux premiers secours",
            "aider lors des situations d'urgence",
        ),
        ("premiers secours", "prévention des risques"),
    ),
    "humanitaire": DomainTexts(
        (
            "Préparer des convois de solidarité internationale",
            "Accueillir des personnes réfugiées",
        ),
        "Vous soutiendrez des personnes touchées par des crises, ici et ailleurs.",
        (
            "trier et conditionner les dons",
            "accompagner les personnes accueillies",
            "organiser des collectes",
        ),
        ("solidarité internationale", "accueil des réfugiés"),
    ),
    "vivre-ensemble": DomainTexts(
        (
            "Animer la vie d'un centre social de quartier",
            "Créer du lien entre générations",
        ),
        "Vous favoriserez les rencontres et le dialogue entre habitants de tous horizons.",
        (
            "organiser des repas de quartier",
            "animer des activités intergénérationnelles",
            "accueillir les habitants",
        ),
        ("animation de quartier", "intergénérationnel"),
    ),
    "service-public-defense-securite": DomainTexts(
        (
            "Rejoindre la réserve de la gendarmerie",
            "Devenir sapeur-pompier volontaire",
        ),
        "Vous servirez la collectivité aux côtés des professionnels de la sécurité.",
        (
            "participer aux interventions",
            "suivre une formation initiale",
            "assurer des gardes",
        ),
        ("secours", "sécurité publique"),
    ),
}

#: Which programmes a domain's missions mostly belong to (weights), so that SNU or reserve missions look right.
PROGRAMME_WEIGHTS: dict[str, int] = {
    "service-civique": 45,
    "benevolat": 35,
    "reserve-civique": 10,
    "snu": 4,
    "sapeurs-pompiers-volontaires": 2,
    "reserve-operationnelle": 2,
    "corps-europeen-solidarite": 2,
}

SOFT_SKILLS = ("écoute", "autonomie", "travail en équipe", "sens de l'organisation", "bienveillance", "ponctualité")
AUDIENCES = (
    "enfants",
    "adolescents",
    "personnes âgées",
    "familles",
    "personnes en situation de handicap",
    "tout public",
)
REQUIREMENTS = ("permis B", "casier judiciaire vierge", "disponible le week-end", "aisance à l'oral")
SCHEDULES = (
    "Du lundi au vendredi, en journée",
    "Le mercredi après-midi et le samedi",
    "En soirée, deux fois par semaine",
    "Le week-end",
    "Horaires flexibles à définir ensemble",
)
REFUSAL_REASONS = (
    "Mission à caractère commercial, hors du cadre de l'engagement.",
    "Description insuffisante : précisez les tâches confiées.",
    "La mission remplace un emploi salarié.",
)
