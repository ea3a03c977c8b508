"""Synthetic, realistic profiles in bulk, for benchmarks and load tests.

`generate_profiles --people N [--claims-per-person M] [--publish] [--seed S]` creates N people with
Chinese (汉字 with tone-marked pinyin), Japanese (漢字 with Hepburn) or Latin-only names; a hierarchy
of organizations (party > provincial committee > city committee, state > provincial government >
city government, congresses, departments, universities); about M claims each (a claim is a position
or an event, one line of the profile page), with start and end dates at mixed precision (year, month,
day); sources with http(s) URLs, half of them with archived text; citations of every shown fact,
position and event (some supporting at a lower precision with `stated`, some disputing); and edit
history: every row is created with a user and a change reason, and some are later corrected
(a refined start date, a reworded summary), each correction a history row of its own.

Rows go in by batches with django-simple-history's bulk_create_with_history and
bulk_update_with_history, so every row has its history, inside the services' bulk write session
(profiles.editing.bulk_writes, as a reviewer: the organizations and sources it makes come
approved). `--publish` publishes every generated person through the publishing service's batch
entry point, profiles.publishing.profiles_publish (the one publish code path, with the document
checks); `--publish-service` calls profile_publish for each person instead (the records' own
validation included; about ten times slower).
"""

import datetime
import multiprocessing
import queue
import random
import sys
import time
import unicodedata
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connections, transaction
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from profiles import editing, publishing
from profiles.dates import PartialDate
from profiles.models import (
    Event,
    Organization,
    OtherName,
    Person,
    Position,
)
from sources.models import Citation, Source

# Names -----------------------------------------------------------------------------------------

CHINESE_SURNAMES = [
    ("王", "Wáng"),
    ("李", "Lǐ"),
    ("张", "Zhāng"),
    ("刘", "Liú"),
    ("陈", "Chén"),
    ("杨", "Yáng"),
    ("黄", "Huáng"),
    ("赵", "Zhào"),
    ("吴", "Wú"),
    ("周", "Zhōu"),
    ("徐", "Xú"),
    ("孙", "Sūn"),
    ("马", "Mǎ"),
    ("朱", "Zhū"),
    ("胡", "Hú"),
    ("郭", "Guō"),
    ("何", "Hé"),
    ("林", "Lín"),
    ("罗", "Luó"),
    ("高", "Gāo"),
    ("郑", "Zhèng"),
    ("梁", "Liáng"),
    ("谢", "Xiè"),
    ("宋", "Sòng"),
    ("唐", "Táng"),
    ("许", "Xǔ"),
    ("邓", "Dèng"),
    ("冯", "Féng"),
    ("韩", "Hán"),
    ("曹", "Cáo"),
    ("蔡", "Cài"),
    ("彭", "Péng"),
    ("曾", "Zēng"),
    ("肖", "Xiāo"),
    ("田", "Tián"),
    ("董", "Dǒng"),
    ("潘", "Pān"),
    ("袁", "Yuán"),
    ("欧阳", "Ōuyáng"),
    ("司马", "Sīmǎ"),
]
CHINESE_GIVEN = [
    ("建", "jiàn"),
    ("国", "guó"),
    ("明", "míng"),
    ("华", "huá"),
    ("伟", "wěi"),
    ("强", "qiáng"),
    ("军", "jūn"),
    ("平", "píng"),
    ("志", "zhì"),
    ("文", "wén"),
    ("海", "hǎi"),
    ("林", "lín"),
    ("春", "chūn"),
    ("东", "dōng"),
    ("新", "xīn"),
    ("学", "xué"),
    ("永", "yǒng"),
    ("庆", "qìng"),
    ("金", "jīn"),
    ("德", "dé"),
    ("忠", "zhōng"),
    ("宏", "hóng"),
    ("荣", "róng"),
    ("力", "lì"),
    ("奇", "qí"),
    ("峰", "fēng"),
    ("良", "liáng"),
    ("安", "ān"),
    ("顺", "shùn"),
    ("祥", "xiáng"),
    ("丽", "lì"),
    ("红", "hóng"),
    ("英", "yīng"),
    ("梅", "méi"),
    ("玉", "yù"),
    ("兰", "lán"),
    ("鹏", "péng"),
    ("爱", "ài"),
    ("恩", "ēn"),
    ("欧", "ōu"),
    ("岳", "yuè"),
    ("辉", "huī"),
]
JAPANESE_SURNAMES = [
    ("佐藤", "Satō"),
    ("鈴木", "Suzuki"),
    ("高橋", "Takahashi"),
    ("田中", "Tanaka"),
    ("伊藤", "Itō"),
    ("渡辺", "Watanabe"),
    ("山本", "Yamamoto"),
    ("中村", "Nakamura"),
    ("小林", "Kobayashi"),
    ("加藤", "Katō"),
    ("大野", "Ōno"),
    ("斎藤", "Saitō"),
]
JAPANESE_GIVEN = [
    ("健一", "Ken'ichi"),
    ("浩", "Hiroshi"),
    ("誠", "Makoto"),
    ("太郎", "Tarō"),
    ("洋子", "Yōko"),
    ("恵子", "Keiko"),
    ("修", "Osamu"),
    ("隆", "Takashi"),
    ("直樹", "Naoki"),
    ("由美", "Yumi"),
    ("裕子", "Yūko"),
    ("翔太", "Shōta"),
    ("純一郎", "Jun'ichirō"),
]
LATIN_NAMES = [
    ("Anna", "Kowalska"),
    ("José", "Muñoz"),
    ("Jürgen", "Müller"),
    ("Zoë", "Lefèvre"),
    ("Łukasz", "Wiśniewski"),
    ("Søren", "Østergaard"),
    ("Ana", "Gonçalves"),
    ("İlker", "Çelik"),
    ("Dmitri", "Sokolov"),
    ("Hélène", "Dubois"),
    ("Nguyễn", "Văn An"),
    ("Zsófia", "Horváth"),
]
OTHER_NAME_NOTES = ["courtesy name", "former name", "pen name", "Weibo pseudonym", "birth name", "nickname"]


def strip_tones(text):
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def join_pinyin(syllables):
    """Pinyin syllables written as one word, with the apostrophe before a, o, e (Xī'ān)."""
    word = syllables[0]
    for syllable in syllables[1:]:
        word += ("'" if strip_tones(syllable)[0] in "aoe" else "") + syllable
    return word


# Places and organizations ----------------------------------------------------------------------

PROVINCES = [
    ("Fujian", "福建", [("Fuzhou", "福州"), ("Xiamen", "厦门"), ("Sanming", "三明"), ("Quanzhou", "泉州")]),
    ("Zhejiang", "浙江", [("Hangzhou", "杭州"), ("Ningbo", "宁波"), ("Quzhou", "衢州"), ("Taizhou", "台州")]),
    ("Jiangsu", "江苏", [("Nanjing", "南京"), ("Suzhou", "苏州"), ("Wuxi", "无锡"), ("Xuzhou", "徐州")]),
    (
        "Guangdong",
        "广东",
        [("Guangzhou", "广州"), ("Shenzhen", "深圳"), ("Shantou", "汕头"), ("Zhuhai", "珠海")],
    ),
    ("Shandong", "山东", [("Jinan", "济南"), ("Qingdao", "青岛"), ("Yantai", "烟台")]),
    ("Henan", "河南", [("Zhengzhou", "郑州"), ("Luoyang", "洛阳"), ("Kaifeng", "开封")]),
    ("Hubei", "湖北", [("Wuhan", "武汉"), ("Yichang", "宜昌"), ("Xiangyang", "襄阳")]),
    ("Hunan", "湖南", [("Changsha", "长沙"), ("Zhuzhou", "株洲"), ("Xiangtan", "湘潭")]),
    ("Sichuan", "四川", [("Chengdu", "成都"), ("Mianyang", "绵阳"), ("Leshan", "乐山")]),
    ("Shaanxi", "陕西", [("Xi'an", "西安"), ("Yan'an", "延安"), ("Baoji", "宝鸡")]),
    ("Hebei", "河北", [("Shijiazhuang", "石家庄"), ("Tangshan", "唐山"), ("Baoding", "保定")]),
    ("Anhui", "安徽", [("Hefei", "合肥"), ("Wuhu", "芜湖"), ("Anqing", "安庆")]),
    ("Jiangxi", "江西", [("Nanchang", "南昌"), ("Jiujiang", "九江"), ("Ganzhou", "赣州")]),
    ("Yunnan", "云南", [("Kunming", "昆明"), ("Dali", "大理"), ("Qujing", "曲靖")]),
    ("Liaoning", "辽宁", [("Shenyang", "沈阳"), ("Dalian", "大连"), ("Anshan", "鞍山")]),
    ("Heilongjiang", "黑龙江", [("Harbin", "哈尔滨"), ("Qiqihar", "齐齐哈尔"), ("Daqing", "大庆")]),
    ("Guizhou", "贵州", [("Guiyang", "贵阳"), ("Zunyi", "遵义")]),
    ("Gansu", "甘肃", [("Lanzhou", "兰州"), ("Tianshui", "天水")]),
    ("Shanxi", "山西", [("Taiyuan", "太原"), ("Datong", "大同")]),
]
PREFECTURES = [
    ("Osaka", "大阪", "Ōsaka"),
    ("Kyoto", "京都", "Kyōto"),
    ("Hokkaido", "北海道", "Hokkaidō"),
    ("Fukuoka", "福岡", "Fukuoka"),
    ("Aichi", "愛知", "Aichi"),
]
UNIVERSITIES = [
    ("Peking University", "北京大学"),
    ("Tsinghua University", "清华大学"),
    ("Fudan University", "复旦大学"),
    ("Zhejiang University", "浙江大学"),
    ("Fujian Normal University", "福建师范大学"),
    ("Renmin University of China", "中国人民大学"),
]
MINISTRIES = [
    ("Ministry of Commerce", "商务部"),
    ("Ministry of Finance", "财政部"),
    ("Ministry of Education", "教育部"),
    ("National Development and Reform Commission", "国家发展和改革委员会"),
]

# (role, native role) by the level of an organization
ROLES = {
    "city-party": [
        ("Party Secretary", 4),
        ("Deputy Party Secretary", 3),
        ("Member of the Standing Committee", 3),
        ("Secretary-General", 1),
    ],
    "city-government": [("Mayor", 4), ("Vice Mayor", 4), ("Executive Vice Mayor", 2)],
    "province-party": [
        ("Party Secretary", 2),
        ("Deputy Party Secretary", 2),
        ("Member of the Standing Committee", 4),
    ],
    "province-government": [("Governor", 2), ("Vice Governor", 4), ("Executive Vice Governor", 2)],
    "province-congress": [("Chairman of the Standing Committee", 2), ("Deputy", 3)],
    "province-office": [("Head", 2), ("Deputy Head", 3)],
    "national-party": [("Member", 3), ("Alternate Member", 2)],
    "national-politburo": [("Member", 1)],
    "national-government": [("Minister", 2), ("Vice Minister", 4), ("Vice Premier", 1)],
    "university": [("President", 1), ("Professor", 3), ("Party Secretary", 1)],
    "japan-prefecture": [("Governor", 1), ("Vice Governor", 2), ("Member of the Assembly", 4)],
    "japan-party": [("Chairman", 1), ("Secretary-General", 2), ("Member", 4)],
    "japan-diet": [("Member of the House of Representatives", 3), ("Member of the House of Councillors", 2)],
}
ORDINALS = ["first-ranked", "second-ranked", "third-ranked", "fifth-ranked", "seventh-ranked"]


class OrgSpec:
    __slots__ = ("slug", "name", "native_name", "kind", "parent", "level", "region")

    def __init__(self, slug, name, native_name, kind, parent, level, region=""):
        self.slug, self.name, self.native_name, self.kind = slug, name, native_name, kind
        self.parent, self.level, self.region = parent, level, region


def organization_specs():
    """The organization tree, parents before children."""
    specs = []

    def add(*args, **kwargs):
        spec = OrgSpec(*args, **kwargs)
        specs.append(spec)
        return spec

    ccp = add("chinese-communist-party", "Chinese Communist Party", "中国共产党", "party", None, "root")
    central = add(
        "ccp-central-committee",
        "Central Committee of the Chinese Communist Party",
        "中国共产党中央委员会",
        "party",
        ccp,
        "national-party",
    )
    add(
        "ccp-politburo",
        "Politburo of the Chinese Communist Party",
        "中共中央政治局",
        "party",
        central,
        "national-politburo",
    )
    prc = add(
        "peoples-republic-of-china",
        "People's Republic of China",
        "中华人民共和国",
        "government",
        None,
        "root",
    )
    state_council = add("state-council", "State Council", "国务院", "government", prc, "national-government")
    for name, native in MINISTRIES:
        add(
            slugify(name),
            name,
            native,
            "commission" if "Commission" in name else "government",
            state_council,
            "national-government",
        )
    for name, native in UNIVERSITIES:
        add(slugify(name), name, native, "university", None, "university")
    for province, pnative, cities in PROVINCES:
        key = slugify(province)
        committee = add(
            f"ccp-{key}-provincial-committee",
            f"CCP {province} Provincial Committee",
            f"中共{pnative}省委",
            "party",
            ccp,
            "province-party",
            province,
        )
        add(
            f"ccp-{key}-organization-department",
            f"Organization Department of the CCP {province} Provincial Committee",
            f"中共{pnative}省委组织部",
            "office",
            committee,
            "province-office",
            province,
        )
        government = add(
            f"{key}-provincial-government",
            f"{province} Provincial People's Government",
            f"{pnative}省人民政府",
            "government",
            prc,
            "province-government",
            province,
        )
        add(
            f"{key}-provincial-peoples-congress",
            f"{province} Provincial People's Congress",
            f"{pnative}省人民代表大会",
            "legislature",
            None,
            "province-congress",
            province,
        )
        for city, cnative in cities:
            ckey = slugify(city)
            add(
                f"ccp-{ckey}-municipal-committee",
                f"CCP {city} Municipal Committee",
                f"中共{cnative}市委",
                "party",
                committee,
                "city-party",
                province,
            )
            add(
                f"{ckey}-municipal-government",
                f"{city} Municipal People's Government",
                f"{cnative}市人民政府",
                "government",
                government,
                "city-government",
                province,
            )
    ldp = add(
        "liberal-democratic-party-japan",
        "Liberal Democratic Party",
        "自由民主党",
        "party",
        None,
        "japan-party",
        "Japan",
    )
    japan = add(
        "government-of-japan", "Government of Japan", "日本国政府", "government", None, "root", "Japan"
    )
    add("national-diet", "National Diet", "国会", "legislature", None, "japan-diet", "Japan")
    for prefecture, native, _ in PREFECTURES:
        key = slugify(prefecture)
        add(
            f"ldp-{key}-prefectural-federation",
            f"LDP {prefecture} Prefectural Federation",
            f"自由民主党{native}府県連",
            "party",
            ldp,
            "japan-party",
            "Japan",
        )
        add(
            f"{key}-prefectural-government",
            f"{prefecture} Prefectural Government",
            f"{native}府県庁",
            "government",
            japan,
            "japan-prefecture",
            "Japan",
        )
    return specs


# Dates -----------------------------------------------------------------------------------------


def partial(rng, year, precision=None):
    precision = precision or rng.choices(("year", "month", "day"), (3, 5, 2))[0]
    if precision == "year":
        return PartialDate(year)
    month = rng.randint(1, 12)
    if precision == "month":
        return PartialDate(year, month)
    return PartialDate(year, month, rng.randint(1, 28))


def less_precise(date):
    """The same date at a lower precision, or None when it is already a year."""
    if date.day is not None:
        return PartialDate(date.year, date.month)
    if date.month is not None:
        return PartialDate(date.year)
    return None


def different_date(rng, date):
    """A date that contradicts `date` (for a disputing source)."""
    year = date.year + rng.choice((-1, 1))
    if date.month is None:
        return PartialDate(year)
    return PartialDate(year, date.month) if date.day is None else PartialDate(year, date.month, date.day)


# Generation ------------------------------------------------------------------------------------


class Batch:
    """The objects of one batch of people, created table by table."""

    def __init__(self):
        self.people, self.other_names, self.sources, self.positions = [], [], [], []
        self.events, self.citations = [], []
        self.position_edits, self.summary_edits = [], []
        self.archives = defaultdict(list)  # source -> quotes its archived text holds


class Generator:
    def __init__(self, *, seed, claims, editors, now):
        self.rng = random.Random(seed)
        self.claims, self.editors, self.now = claims, editors, now
        self.organizations = {}  # slug -> Organization
        self.by_level = defaultdict(list)  # level -> [spec]
        self.specs = {}
        self.shared_sources = []

    def history_moment(self, earliest=None):
        """A moment of the past two years (after `earliest`) for an edit."""
        start = earliest or self.now - datetime.timedelta(days=730)
        span = max((self.now - start).total_seconds() - 3600, 60)
        return start + datetime.timedelta(seconds=self.rng.uniform(0, span))

    def stamp(self, instance, reason, *, user=None, moment=None):
        if isinstance(instance, Organization | Source):
            instance.approved_at = self.now  # synthetic shared records come as reviewed ones
        instance._history_user = user or self.rng.choice(self.editors)
        instance._change_reason = reason
        instance._history_date = moment or self.history_moment()
        return instance

    # organizations and shared sources ----------------------------------------------------------

    def ensure_organizations(self):
        specs = organization_specs()
        existing = {o.slug: o for o in Organization.objects.filter(slug__in=[s.slug for s in specs])}
        creator = self.editors[0]
        # Parents first: create the tree level by level.
        pending = [s for s in specs if s.slug not in existing]
        while pending:
            ready = [s for s in pending if s.parent is None or s.parent.slug in existing]
            objects = [
                self.stamp(
                    Organization(
                        slug=s.slug,
                        name=s.name,
                        native_name=s.native_name,
                        kind=s.kind,
                        parent=existing[s.parent.slug] if s.parent else None,
                    ),
                    "Organization tree from the official directory",
                    user=creator,
                )
                for s in ready
            ]
            for organization in bulk_create_with_history(objects, Organization, batch_size=500):
                existing[organization.slug] = organization
            pending = [s for s in pending if s.slug not in existing]
        self.organizations = existing
        for spec in specs:
            self.specs[spec.slug] = spec
            self.by_level[spec.level].append(spec)

    def ensure_shared_sources(self, people):
        """Sources many profiles cite (yearbooks, lists): about one for every 50 people."""
        count = max(2, min(500, people // 50))
        keys = [f"yearbook-{number}" for number in range(count)]
        existing = {s.pk: s for s in Source.objects.filter(pk__in=keys)}
        new = []
        for number, key in enumerate(keys):
            if key in existing:
                continue
            year = 1990 + number % 35
            source = Source(
                id=key,
                kind=Source.Kind.OFFICIAL,
                title=f"China Directory of Officials {year}, volume {number // 35 + 1}",
                url=f"https://directory.example.cn/{year}/vol-{number // 35 + 1}/{number}",
                publisher=self.rng.choice(["Xinhua", "People's Daily Press", "Central Party School"]),
                published=PartialDate(year),
                accessed=PartialDate(2026, 11, self.rng.randint(1, 26)),
            )
            new.append(self.stamp(source, "Directory added as a source"))
        for source in bulk_create_with_history(new, Source, batch_size=500):
            existing[source.pk] = source
        self.shared_sources = [existing[key] for key in keys]

    # one person --------------------------------------------------------------------------------

    def name(self, index):
        rng = self.rng
        draw = rng.random()
        if draw < 0.85:
            family, family_pinyin = rng.choice(CHINESE_SURNAMES)
            given = [rng.choice(CHINESE_GIVEN) for _ in range(1 if rng.random() < 0.25 else 2)]
            given_pinyin = join_pinyin([syllable for _, syllable in given]).capitalize()
            romanization = f"{family_pinyin} {given_pinyin}"
            return {
                "name": strip_tones(romanization).replace("'", ""),
                "native_name": family + "".join(c for c, _ in given),
                "native_name_lang": "zh-Hans",
                "romanization": romanization,
                "region": "China",
            }
        if draw < 0.95:
            (family, family_roman), (given, given_roman) = (
                rng.choice(JAPANESE_SURNAMES),
                rng.choice(JAPANESE_GIVEN),
            )
            plain = f"{strip_tones(given_roman)} {strip_tones(family_roman)}".replace("'", "")
            return {
                "name": plain,
                "native_name": family + given,
                "native_name_lang": "ja",
                "romanization": f"{family_roman} {given_roman}",
                "region": "Japan",
            }
        first, last = rng.choice(LATIN_NAMES)
        return {
            "name": f"{first} {last}",
            "native_name": "",
            "native_name_lang": "",
            "romanization": "",
            "region": "Latin",
        }

    def career_levels(self, region, count):
        """The organization levels of a career, rising from city to province to nation."""
        if region == "Japan":
            return [self.rng.choice(["japan-prefecture", "japan-party", "japan-diet"]) for _ in range(count)]
        if region == "Latin":
            return ["university"] * count
        levels = []
        for number in range(count):
            stage = number / max(count, 1)
            if stage < 0.4:
                choices = ["city-party", "city-government", "university"]
                weights = (5, 5, 1)
            elif stage < 0.8:
                choices = [
                    "province-party",
                    "province-government",
                    "province-congress",
                    "province-office",
                    "city-party",
                ]
                weights = (4, 4, 1, 2, 1)
            else:
                choices = ["national-party", "national-government", "national-politburo", "province-party"]
                weights = (3, 3, 1, 2)
            levels.append(self.rng.choices(choices, weights)[0])
        return levels

    def pick_organization(self, level, province):
        options = self.by_level[level]
        local = [s for s in options if s.region == province]
        return self.rng.choice(local or options)

    def person(self, batch, index):
        rng, claims = self.rng, self.claims
        names = self.name(index)
        slug = f"{slugify(names['name']) or 'person'}-{index}"
        born = partial(rng, rng.randint(1938, 1985), rng.choices(("year", "month", "day"), (1, 2, 5))[0])
        dead = born.year < 1948 and rng.random() < 0.3
        died = partial(rng, rng.randint(max(born.year + 60, 2005), 2025)) if dead else None
        province, _, cities = rng.choice(PROVINCES)
        city = rng.choice(cities)[0]
        region = names.pop("region")
        birth_place = {
            "China": f"{city}, {province}",
            "Japan": f"{rng.choice(PREFECTURES)[0]}, Japan",
            "Latin": rng.choice(
                ["Kraków, Poland", "Sevilla, Spain", "Lyon, France", "Århus, Denmark", "İzmir, Turkey"]
            ),
        }[region]
        created = self.history_moment(self.now - datetime.timedelta(days=900))
        creator = rng.choice(self.editors)
        person = Person(
            slug=slug,
            birth_date=born,
            birth_place=birth_place,
            death_date=died,
            death_place="Beijing" if dead else "",
            **names,
        )
        batch.people.append(
            self.stamp(person, "New profile from the official biography", user=creator, moment=created)
        )

        # Sources of this profile: an encyclopedia article with its archived text, and a news
        # report or official biography (archived half the time).
        wiki_title = names["name"].replace(" ", "_")
        encyclopedia = Source(
            id=f"wikipedia-{slug}"[:100],
            title=names["name"],
            url=f"https://en.wikipedia.org/wiki/{wiki_title}_({index})",
            publisher="Wikipedia",
            kind=Source.Kind.ENCYCLOPEDIA,
            accessed=partial(rng, 2026, "day"),
        )
        year = rng.randint(2005, 2025)
        news_publisher, host, scheme = rng.choice(
            [
                ("Xinhua", "www.xinhuanet.com", "http"),
                ("People's Daily", "cpc.people.com.cn", "http"),
                ("China Daily", "www.chinadaily.com.cn", "https"),
                ("Gov.cn", "www.gov.cn", "https"),
                ("Nikkei", "asia.nikkei.com", "https"),
                ("Caixin", "www.caixinglobal.com", "https"),
            ]
        )
        news = Source(
            id=f"{slugify(news_publisher)}-{slug}"[:100],
            title=f"Biography of {names['name']}" if rng.random() < 0.5 else f"{names['name']} appointed",
            url=f"{scheme}://{host}/politics/{year}-{rng.randint(1, 12):02d}/{index}.htm",
            publisher=news_publisher,
            kind=Source.Kind.OFFICIAL if news_publisher == "Gov.cn" else Source.Kind.NEWS,
            author=rng.choice(["", "", "Staff reporter", "Li Ming"]),
            published=partial(rng, year),
            accessed=partial(rng, 2026, "day"),
            archive_url=f"https://web.archive.org/web/2026/{scheme}://{host}/politics/{index}.htm"
            if rng.random() < 0.3
            else "",
        )
        archived = {encyclopedia.pk: True, news.pk: rng.random() < 0.5}
        sources = [encyclopedia, news]
        for source in sources:
            batch.sources.append(self.stamp(source, "Source added", user=creator, moment=created))
        shared = rng.choice(self.shared_sources)

        def cite(claim, source, quote, *, field="", stance="supports", stated="", note="", locator=""):
            citation = Citation(
                person=person,
                source=source,
                quote=quote,
                field=field,
                stance=stance,
                stated=stated,
                note=note,
                locator=locator,
                **claim,
            )
            if archived.get(source.pk):
                batch.archives[source].append(quote)
            batch.citations.append(
                self.stamp(citation, "Cited", user=creator, moment=created + datetime.timedelta(seconds=5))
            )
            return citation

        name = names["name"]
        cite(
            {},
            encyclopedia,
            f"{name} is a {'Chinese' if region == 'China' else 'public'} official.",
            field="name",
            locator="Lead",
        )
        if names["native_name"]:
            cite(
                {},
                encyclopedia,
                f"{name} ({names['native_name']}; {names['romanization']}).",
                field="native_name",
                locator="Lead",
            )
            cite(
                {},
                encyclopedia,
                f"{name} ({names['native_name']}; {names['romanization']}).",
                field="romanization",
                locator="Lead",
            )
        cite(
            {},
            encyclopedia,
            f"{name} was born on {born} in {birth_place}.",
            field="birth_date",
            locator="Early life",
        )
        if born.month is not None and rng.random() < 0.3:
            # A source that gives the birth date less precisely: consistent, shown as such.
            cite(
                {},
                news,
                f"{name}, born in {born.year}.",
                field="birth_date",
                stated=str(born.year),
                note=f"gives {born.year}",
            )
        cite(
            {},
            encyclopedia,
            f"{name} was born on {born} in {birth_place}.",
            field="birth_place",
            locator="Early life",
        )
        if dead:
            cite({}, news, f"{name} died in {died}.", field="death_date")
            cite({}, news, f"{name} died in Beijing.", field="death_place")
        if rng.random() < 0.2:
            other = OtherName(
                person=person,
                name=rng.choice(["Jianhua", "Shanren", "Qianshui", "Laozhang", "Xiaolin"]),
                note=rng.choice(OTHER_NAME_NOTES),
            )
            batch.other_names.append(self.stamp(other, "Name added", user=creator, moment=created))
            cite({}, news, f"He is also known as {other.name}.", field="other_names")

        # Claims: positions and events, each cited.
        position_count = max(1, round(claims * 0.55)) if claims > 1 else 1
        event_count = max(0, claims - position_count)
        career_start = max(born.year + 21, 1960)
        career_end = died.year if dead else 2025
        span = max(career_end - career_start, 1)
        levels = self.career_levels(region, position_count)
        province_now = province
        positions = []
        for number, level in enumerate(levels):
            if level.startswith("city") and rng.random() < 0.1:
                province_now = rng.choice(PROVINCES)[0]
            spec = self.pick_organization(level, province_now)
            role = rng.choices(*zip(*ROLES[level], strict=True))[0]
            start_year = min(career_start + number * span // position_count, career_end)
            start = partial(rng, start_year)
            last = number == position_count - 1
            end, ended = None, False
            if dead:
                end_year = min(start_year + rng.randint(1, 4), career_end)
                end = partial(rng, end_year) if end_year > start_year else PartialDate(end_year)
            elif last and rng.random() < 0.7:
                end = None  # still held
            elif rng.random() < 0.05:
                ended = True  # ended, end date not stated
            else:
                end_year = min(start_year + rng.randint(1, 5), 2025)
                end = partial(rng, end_year) if end_year > start_year else PartialDate(end_year)
            acting = role in {"Mayor", "Governor"} and rng.random() < 0.15
            position = Position(
                key=f"{slug}-p{number}",
                person=person,
                role=role,
                organization=self.organizations[spec.slug],
                start_date=start,
                end_date=end,
                ended=ended,
                acting=acting,
                concurrent=rng.random() < 0.08,
                ordinal=rng.choice(ORDINALS) if level == "national-politburo" else "",
                note="End date inferred from the next appointment." if end and rng.random() < 0.05 else "",
            )
            batch.positions.append(
                self.stamp(position, "Career from the official biography", user=creator, moment=created)
            )
            positions.append((position, spec))
            source = encyclopedia if rng.random() < 0.6 else news
            cite(
                {"position": position},
                source,
                f"In {start} {name} became {role} of the {spec.name}.",
                locator="Career",
            )
            draw = rng.random()
            if draw < 0.05:
                stated = different_date(rng, start)
                cite(
                    {"position": position},
                    news if source is encyclopedia else encyclopedia,
                    f"{name} took office as {role} in {stated}.",
                    field="start_date",
                    stance="disputes",
                    stated=stated.isoformat(),
                    note=f"gives {stated}",
                )
            elif draw < 0.12 and less_precise(start) is not None:
                stated = less_precise(start)
                cite(
                    {"position": position},
                    shared,
                    f"{role}, {spec.name}: {name} ({stated}).",
                    field="start_date",
                    stated=stated.isoformat(),
                    locator=f"p. {rng.randint(3, 900)}",
                )
            elif draw < 0.2:
                cite(
                    {"position": position},
                    shared,
                    f"{role}, {spec.name}: {name}.",
                    locator=f"p. {rng.randint(3, 900)}",
                )
            if start.precision != "year" and rng.random() < 0.25:
                # First entered at the year only; a later edit refined it from a source.
                position.start_date = PartialDate(start.year)
                batch.position_edits.append((position, start))

        kinds = [
            "joined",
            "studied",
            "spoke",
            "met",
            "policy",
            "appointed",
            "incident",
            "criticised",
            "other",
        ]
        for number in range(event_count):
            kind = "born" if number == 0 else rng.choices(kinds, (1, 2, 4, 4, 3, 3, 1, 1, 1))[0]
            if kind == "born":
                date, title = born, "Born"
            else:
                date = partial(rng, min(born.year + 18 + number * span // max(event_count, 1), career_end))
                if kind == "appointed" and positions:
                    position, spec = rng.choice(positions)
                    title = f"Appointed {position.role} of the {spec.name}"
                else:
                    title = {
                        "joined": "Joins the Chinese Communist Party",
                        "studied": "Graduates",
                        "spoke": "Speech on economic work",
                        "met": "Meets a foreign delegation",
                        "policy": "Launches a clean-air campaign",
                        "incident": "Factory fire in the city",
                        "criticised": "Criticised over forced evictions",
                        "other": "Visits the flood zone",
                        "appointed": "Appointed to a leading group",
                    }[kind]
            event = Event(
                key=f"{slug}-e{number}",
                person=person,
                date=date,
                kind=kind,
                title=title,
                description=f"{name}: {title.lower()}, {date}." if rng.random() < 0.7 else "",
            )
            batch.events.append(self.stamp(event, "Events from news reports", user=creator, moment=created))
            source = news if rng.random() < 0.5 else encyclopedia
            cite(
                {"event": event},
                source,
                f"On {date}, {name}: {title.lower()}.",
                field="date" if rng.random() < 0.3 else "",
            )
            if rng.random() < 0.03:
                cite(
                    {"event": event},
                    shared,
                    f"{title} ({date.year}).",
                    field="date",
                    stance="disputes",
                    stated=str(date.year + 1),
                    note=f"gives {date.year + 1}",
                )

        last_post = positions[-1][0] if positions else None
        person.summary = f"{name} is a {'Chinese' if region == 'China' else ''} politician".replace(
            "a  ", "a "
        ) + (f" who has served as {last_post.role} of the {positions[-1][1].name}." if last_post else ".")
        cite({}, encyclopedia, person.summary, field="summary", locator="Lead")
        if rng.random() < 0.1:
            batch.summary_edits.append(person)

    # writing -----------------------------------------------------------------------------------

    def write(self, batch):
        for source, quotes in batch.archives.items():
            if source.pk.startswith("yearbook-"):
                continue
            source.archived_text = "\n".join(dict.fromkeys(quotes))
        for citation in batch.citations:
            # What Citation.save() does, for rows that bulk_create writes without it.
            citation.verification = citation.source.verification_of(citation.quote)
        with transaction.atomic():
            bulk_create_with_history(batch.people, Person, batch_size=1000)
            bulk_create_with_history(batch.sources, Source, batch_size=1000)
            bulk_create_with_history(batch.other_names, OtherName, batch_size=1000)
            bulk_create_with_history(batch.positions, Position, batch_size=1000)
            bulk_create_with_history(batch.events, Event, batch_size=1000)
            for citation in batch.citations:
                citation.person_id = citation.person.pk
            bulk_create_with_history(batch.citations, Citation, batch_size=1000)
            # Corrections made later by another editor, each recorded as a change.
            if batch.position_edits:
                for position, refined in batch.position_edits:
                    position.start_date = refined
                    self.stamp(
                        position,
                        "Start date from the official biography",
                        moment=self.history_moment(position._history_date),
                    )
                bulk_update_with_history(
                    [p for p, _ in batch.position_edits], Position, ["start_date"], batch_size=1000
                )
            if batch.summary_edits:
                for person in batch.summary_edits:
                    person.summary = person.summary.replace(" politician", " official")
                    self.stamp(
                        person,
                        "Neutral wording of the summary",
                        moment=self.history_moment(person._history_date),
                    )
                bulk_update_with_history(batch.summary_edits, Person, ["summary"], batch_size=1000)
                # The summary's citation quotes what the source says; keep it.


def progress_bar(stream, label):
    """A one-line progress bar on stderr: redrawn on a terminal, every tenth elsewhere."""
    started = time.monotonic()
    shown = {"step": -1}

    def draw(done, total):
        if total < 1:
            return
        elapsed = time.monotonic() - started
        rate = done / elapsed if elapsed else 0
        if stream.isatty():
            filled = int(30 * done / total)
            stream.write(
                f"\r{label} [{'#' * filled}{'.' * (30 - filled)}] {done}/{total} "
                f"{elapsed:6.1f}s {rate:7.0f}/s"
            )
            if done == total:
                stream.write("\n")
        else:
            step = int(10 * done / total)
            if step == shown["step"] and done != total:
                return
            shown["step"] = step
            stream.write(f"{label}: {done}/{total} in {elapsed:.1f}s ({rate:.0f}/s)\n")
        stream.flush()

    return draw


def editorial_users():
    """Five editors and two reviewers (created when missing, with unusable passwords)."""
    User = get_user_model()
    groups = {name: Group.objects.filter(name=name).first() for name in ("Editors", "Reviewers")}
    users = {}
    for username, group in [
        *((f"gen-editor-{n}", "Editors") for n in range(1, 6)),
        *((f"gen-reviewer-{n}", "Reviewers") for n in range(1, 3)),
    ]:
        user, created = User.objects.get_or_create(
            username=username, defaults={"is_staff": True, "email": f"{username}@example.org"}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            if groups[group]:
                user.groups.add(groups[group])
        users.setdefault(group, []).append(user)
    return users["Editors"], users["Reviewers"]


def run_batch(job, batch):
    """Create (and publish) one batch of people; the time spent writing and publishing."""
    number, first, count = batch
    generator = job["generator"]
    generator.rng = random.Random(f"{job['seed']}-{number}")  # the same data in any process
    rows = Batch()
    for offset in range(count):
        generator.person(rows, first + offset)
    tick = time.monotonic()
    with editing.bulk_writes(user=job["reviewer"], reason="Generated profile"):
        generator.write(rows)
    timings = {"write": time.monotonic() - tick, "publish": 0.0}
    if job["publish"]:
        tick = time.monotonic()
        if job["service"]:
            for person in rows.people:
                publishing.profile_publish(
                    person=person,
                    user=job["reviewer"],
                    comment="Generated profile",
                    seen=publishing.working_digest(person),
                )
        else:
            publishing.profiles_publish(people=rows.people, user=job["reviewer"], comment="Generated profile")
        timings["publish"] = time.monotonic() - tick
    return timings


def worker_main(job, batches, done, results):
    """A forked worker: its own database connection, its share of the batches."""
    try:
        timings = {"write": 0.0, "publish": 0.0}
        for batch in batches:
            for key, value in run_batch(job, batch).items():
                timings[key] += value
            with done.get_lock():
                done.value += batch[2]
        results.put(timings)
    except BaseException as error:  # report it to the parent, which fails the command
        import traceback

        results.put({"error": f"{error!r}\n{traceback.format_exc()}"})
    finally:
        connections.close_all()


class Command(BaseCommand):
    help = (
        "Create N realistic synthetic people (names in Latin and CJK scripts, organizations in "
        "a hierarchy, positions and events with dates at mixed precision, sources, citations "
        "including disputing ones, edit history), optionally published."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, required=True, help="How many people to create.")
        parser.add_argument(
            "--claims-per-person",
            type=int,
            default=8,
            help="Claims (positions and events, each a cited line) per person (default 8).",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish every generated person (bulk path, same rows as the service).",
        )
        parser.add_argument(
            "--publish-service",
            action="store_true",
            help="With --publish: call profiles.publishing.profile_publish for each "
            "person (the gate included; slower).",
        )
        parser.add_argument("--seed", type=int, default=0, help="Random seed (default 0).")
        parser.add_argument(
            "--batch-size", type=int, default=500, help="People per transaction (default 500)."
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Processes writing at once (default: 2 on PostgreSQL for large "
            "runs, 1 on SQLite, whose writers queue for one lock).",
        )

    def handle(
        self, *args, people, claims_per_person, publish, publish_service, seed, batch_size, workers, **options
    ):
        if people < 1:
            raise CommandError("--people must be at least 1.")
        if claims_per_person < 1:
            raise CommandError("--claims-per-person must be at least 1.")
        if workers is None:
            workers = 2 if people >= 4 * batch_size else 1
        started = time.monotonic()
        editors, reviewers = editorial_users()
        generator = Generator(seed=seed, claims=claims_per_person, editors=editors, now=timezone.now())
        with editing.bulk_writes(user=reviewers[0], reason="Generated organizations and sources"):
            generator.ensure_organizations()
            generator.ensure_shared_sources(people)
        # Person numbers continue after the people already there, so slugs and keys stay unique.
        first = (Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        batches = [
            (number, first + number * batch_size, min(batch_size, people - number * batch_size))
            for number in range((people + batch_size - 1) // batch_size)
        ]
        job = {
            "generator": generator,
            "seed": seed,
            "publish": publish,
            "service": publish_service,
            "reviewer": reviewers[0],
        }
        draw = progress_bar(sys.stderr, "Generating")
        if workers <= 1:
            timings = {"write": 0.0, "publish": 0.0}
            done = 0
            for batch in batches:
                for key, value in run_batch(job, batch).items():
                    timings[key] += value
                done += batch[2]
                draw(done, people)
        else:
            timings = self.run_parallel(job, batches, workers, draw, people)
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Created {people} people ({claims_per_person} claims each, "
            f"{'published' if publish else 'not published'}) in {elapsed:.1f}s with {workers} "
            f"process(es) (writing {timings['write']:.1f}s, publishing {timings['publish']:.1f}s "
            f"of process time); slugs end in -{first} … -{first + people - 1}."
        )

    def run_parallel(self, job, batches, workers, draw, people):
        """Run the batches in `workers` forked processes, each with its own connection."""
        context = multiprocessing.get_context("fork")
        done = context.Value("i", 0)
        results = context.Queue()
        connections.close_all()  # never share a connection across a fork
        processes = [
            context.Process(target=worker_main, args=(job, batches[index::workers], done, results))
            for index in range(workers)
        ]
        for process in processes:
            process.start()
        timings, finished, failures = {"write": 0.0, "publish": 0.0}, 0, []
        try:
            while finished < workers:
                try:
                    outcome = results.get(timeout=0.5)
                except queue.Empty:
                    draw(done.value, people) if done.value < people else None
                    if not any(p.is_alive() for p in processes) and results.empty():
                        break
                    continue
                finished += 1
                if "error" in outcome:
                    failures.append(outcome["error"])
                else:
                    for key in timings:
                        timings[key] += outcome[key]
        finally:
            for process in processes:
                process.join(timeout=60)
                if process.is_alive():
                    process.terminate()
        if failures or finished < workers:
            raise CommandError("A worker failed:\n" + "\n".join(failures or ["it died"]))
        draw(people, people)
        return timings
