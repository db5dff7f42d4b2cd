"""Officials: names, ranks and titles, and the people who are not officials."""
from helpers import mentions_of


def officials(text: str) -> dict[str, tuple]:
    return {o.name: (o.rank, o.titles) for o in mentions_of(text).officials}


def test_apposition_chain_after_the_name_and_honorific_left_out():
    got = officials("Đồng chí Đồng Văn Thanh, Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh, Tổ trưởng Tổ Công tác "
                    "triển khai Đề án 06 tỉnh chủ trì Hội nghị.")
    assert got == {"Đồng Văn Thanh": (None, ["Phó Bí thư Tỉnh ủy", "Chủ tịch UBND tỉnh",
                                             "Tổ trưởng Tổ Công tác triển khai Đề án 06 tỉnh"])}


def test_rank_and_title_before_the_name():
    got = officials("Phát biểu kết luận, Trung tướng Nguyễn Duy Ngọc đề nghị. Thứ trưởng Công an Nguyễn Duy Ngọc nhấn mạnh.")
    assert got == {"Nguyễn Duy Ngọc": ("Trung tướng", ["Thứ trưởng Công an"])}


def test_title_after_a_dash_and_a_former_post():
    got = officials("Đại tá Nguyễn Đình Thừa - Phó Giám đốc Công an tỉnh cho biết. "
                    "Miễn nhiệm ông Vũ Văn Kiền (nguyên Giám đốc sở Tư pháp) để nghỉ hưu.")
    assert got["Nguyễn Đình Thừa"] == ("Đại tá", ["Phó Giám đốc Công an tỉnh"])
    assert got["Vũ Văn Kiền"] == (None, ["nguyên Giám đốc sở Tư pháp"])


def test_a_province_name_next_to_a_person_is_not_part_of_the_name():
    got = officials("Chủ tịch UBND tỉnh Quảng Nam Lê Văn Dũng phát biểu.")
    assert list(got) == ["Lê Văn Dũng"]


def test_a_police_organisation_is_not_a_person():
    assert officials("Công an tỉnh Quảng Ninh đã triển khai 40 mô hình.") == {}


def test_bylines_citizens_and_company_staff_are_not_officials():
    text = ("Ông Lương Thế Dân – Giám đốc Công ty cổ phần Tasco xác nhận sự việc. Anh Trần Văn Bình cho biết.\n"
            "Tin, ảnh: Nguyễn Duy Tuấn")
    assert officials(text) == {}


def test_a_title_assigned_to_listed_people():
    got = officials("UBND TP hiện có 3 Phó Chủ tịch UBND gồm các ông: Lê Khắc Nam, Nguyễn Xuân Bình và Lê Thanh Sơn.")
    assert set(got) == {"Lê Khắc Nam", "Nguyễn Xuân Bình", "Lê Thanh Sơn"}
    assert all(titles == ["Phó Chủ tịch UBND"] for _, titles in got.values())


def test_a_ward_named_after_a_person_is_a_place():
    assert officials("Đoàn làm việc với Tổ công tác của phường Lê Thanh Nghị (TP Hải Dương).") == {}


def test_a_title_that_ends_at_the_next_name_belongs_to_that_person():
    got = officials("Giám đốc Sở Lò Văn Pấu, Phó Chủ tịch UBND tỉnh Sầm Thị Xoan cùng dự.")
    assert got == {"Lò Văn Pấu": (None, ["Giám đốc Sở"]), "Sầm Thị Xoan": (None, ["Phó Chủ tịch UBND tỉnh"])}


def test_later_references_without_the_full_name_are_the_same_person():
    m = mentions_of("Chủ tịch UBND TP Hà Nội Nguyễn Đức Chung cho biết. Ông Chung nhấn mạnh, đồng chí Chủ tịch yêu cầu.")
    (person,) = m.officials
    assert [m.text[a:b] for a, b in person.appearances] == ["Nguyễn Đức Chung", "Chung", "Chủ tịch"]
    assert person.found_by == "gazetteer"


def test_ner_fills_in_a_name_whose_surname_is_not_in_the_gazetteer(monkeypatch):
    from extractors.tokens import components

    text = "Phó Chủ tịch UBND tỉnh Mùng Mí Kẻ phát biểu."        # "Mùng" is not in surnames.txt
    got = mentions_of(text).officials                  # underthesea's NER over the token layer's words
    assert [(o.name, o.titles, o.found_by) for o in got] == [("Mùng Mí Kẻ", ["Phó Chủ tịch UBND tỉnh"], "ner")]
    monkeypatch.setattr(components, "person_spans", lambda doc, around=None: [])
    assert officials(text) == {}                       # no surname match, and NER does not call it a person


def test_ner_is_not_asked_about_places_or_foreign_words(monkeypatch):
    from extractors.tokens import components

    asked = []
    monkeypatch.setattr(components, "person_spans", lambda doc, around=None: asked.append(doc.text) or [])
    officials("Giám đốc Sở Vũng Tàu cho biết. Chủ tịch Canon Việt Nam phát biểu. Ông Nguyễn Văn A, Bí thư Huyện ủy.")
    assert asked == []


def test_a_district_before_a_name_is_a_place_and_a_title_stops_before_a_time_phrase():
    got = officials("Phó Chủ tịch UBND huyện Gia Lâm Nguyễn Ngọc Thuần cho biết. "
                    "Bà Hồ Thị Kim Thoa, Thứ trưởng Bộ Công Thương vào năm 2010 cho biết.")
    assert got == {"Nguyễn Ngọc Thuần": (None, ["Phó Chủ tịch UBND huyện Gia Lâm"]),
                   "Hồ Thị Kim Thoa": (None, ["Thứ trưởng Bộ Công Thương"])}


def test_minority_surnames_and_company_boards():
    got = officials("Bà Nguyễn Thị Kim Ngân, Chủ tịch Quốc hội, Phó Chủ tịch thường trực Quốc hội Tòng Thị Phóng dự. "
                    "Ông Trần Văn Bình, Chủ tịch HĐQT Cty TNHH An Phát cho biết.")
    assert got == {"Nguyễn Thị Kim Ngân": (None, ["Chủ tịch Quốc hội"]),
                   "Tòng Thị Phóng": (None, ["Phó Chủ tịch thường trực Quốc hội"])}


def test_a_street_is_a_place_but_a_city_committee_precedes_a_name():
    assert officials("Nhà văn hóa ở phố Lê Văn Lương, Giám đốc Sở xây dựng.") == {}
    assert list(officials("Chủ tịch UBND thành phố Nguyễn Đức Chung cho rằng cần làm tốt.")) == ["Nguyễn Đức Chung"]


def test_a_title_after_a_preposition_and_a_comma_is_someone_elses():
    got = officials("Trước cuộc gặp của Thủ tướng, ông Trần Văn Hải, Chủ tịch Hiệp hội Thủy sản, đã gửi kiến nghị. "
                    "Chủ tịch UBND tỉnh, ông Nguyễn Văn An cho biết.")
    assert got["Trần Văn Hải"] == (None, ["Chủ tịch Hiệp hội Thủy sản"])
    assert got["Nguyễn Văn An"] == (None, ["Chủ tịch UBND tỉnh"])


def test_foreign_officials_after_a_state_title_without_the_ner():
    got = officials("Tổng thống Mỹ Donald Trump hôm 10/2 cho biết sẽ ký sắc lệnh mới. "
                    "Tổng Thư ký Liên Hiệp Quốc Antonio Guterres hoan nghênh. Tổng thống George W. Bush từng nói.")
    assert got["Donald Trump"] == (None, ["Tổng thống Mỹ"])
    assert got["Antonio Guterres"] == (None, ["Tổng Thư ký Liên Hiệp Quốc"])
    assert got["George W. Bush"] == (None, ["Tổng thống"])


def test_a_list_of_leaders_gives_each_their_own_title():
    got = officials("Cô ngồi cùng bàn với Thủ tướng Đức Angela Merkel, Chủ tịch Trung Quốc Tập Cận Bình, "
                    "Tổng thống Nga Vladimir Putin, Tổng thống Thổ Nhĩ Kỳ Recep Tayyip Erdogan và Thủ tướng Anh Theresa May.")
    assert got == {"Angela Merkel": (None, ["Thủ tướng Đức"]), "Tập Cận Bình": (None, ["Chủ tịch Trung Quốc"]),
                   "Vladimir Putin": (None, ["Tổng thống Nga"]), "Recep Tayyip Erdogan": (None, ["Tổng thống Thổ Nhĩ Kỳ"]),
                   "Theresa May": (None, ["Thủ tướng Anh"])}


def test_after_a_company_title_a_foreign_run_needs_more_than_its_position():
    # an organisation's name, a place, or the next sentence's first word glued on are no name
    assert officials("Giám đốc Martin Prosperity Institute cho biết thành phố có 3 triệu dân.") == {}
    got = officials("Chủ tịch Ủy ban Tình báo Hạ viện Mỹ Mike Rogers Là người thân cận.")
    assert list(got) == ["Mike Rogers"]


def test_a_district_after_an_abbreviated_unit_word_is_no_name():
    got = officials("Phó chủ tịch UBND TX Từ Sơn Trần Đức Quyết cho biết.")
    assert got == {"Trần Đức Quyết": (None, ["Phó chủ tịch UBND TX Từ Sơn"])}


def test_titles_of_envoys_judges_and_sub_departments_and_a_former_post_with_cuu():
    got = officials("Đại sứ Việt Nam tại Mỹ Phạm Quang Vinh dự. Ông Hồ Sỹ Dũng - Chi Cục trưởng Chi cục Bảo vệ môi trường "
                    "Nghệ An cho biết. Cựu Tổng thống Hàn Quốc Park Geun-hye bị bắt. Thẩm phán liên bang Mỹ Michelle "
                    "Friedland phán quyết.")
    assert got["Phạm Quang Vinh"] == (None, ["Đại sứ Việt Nam tại Mỹ"])
    assert got["Hồ Sỹ Dũng"] == (None, ["Chi Cục trưởng Chi cục Bảo vệ môi trường Nghệ An"])
    assert got["Park Geun-hye"] == (None, ["Cựu Tổng thống Hàn Quốc"])
    assert got["Michelle Friedland"] == (None, ["Thẩm phán liên bang Mỹ"])


def test_an_embassy_is_no_title_and_a_bracketed_abbreviation_ends_one():
    got = officials("Đại sứ quán Việt Nam tại Nhật Bản TS Trần Việt Thái cho biết. "
                    "Tổng giám đốc Đường sắt Việt Nam (ĐSVN) Vũ Tá Tùng khẳng định.")
    assert "Trần Việt Thái" not in got
    assert got["Vũ Tá Tùng"] == (None, ["Tổng giám đốc Đường sắt Việt Nam (ĐSVN)"])


def test_a_state_department_named_after_enterprises_is_public_and_a_ministry_ending_in_thon_is_no_village():
    got = officials("Cục trưởng Phát triển doanh nghiệp Hồ Sĩ Hùng cho biết. Bộ trưởng Bộ Nông nghiệp và Phát triển "
                    "nông thôn Nguyễn Xuân Cường phát biểu. Phó Giám đốc Công ty TNHH Minh Long Trần Văn Tư dự.")
    assert got["Hồ Sĩ Hùng"] == (None, ["Cục trưởng Phát triển doanh nghiệp"])
    assert got["Nguyễn Xuân Cường"] == (None, ["Bộ trưởng Bộ Nông nghiệp và Phát triển nông thôn"])
    assert "Trần Văn Tư" not in got


def test_a_village_or_a_city_after_its_title_is_no_foreign_name():
    got = officials("Trưởng thôn Hưng Thủy Tống Thị Láng cho biết. Thị trưởng thành phố Little Rock phát biểu.")
    assert got == {"Tống Thị Láng": (None, ["Trưởng thôn Hưng Thủy"])}


def test_supreme_court_inspectorate_and_committee_titles_and_a_spaced_province():
    got = officials("Chánh án Tòa án nhân dân tối cao Nguyễn Hòa Bình, Tổng Thanh tra Chính phủ Phan Văn Sáu và "
                    "Phó Chủ tịch Quốc hội Uông Chu Lưu dự. Chủ nhiệm Ủy ban Khoa học, Công nghệ và Môi trường "
                    "Phan Xuân Dũng phát biểu. Chủ tịch UBND tỉnh Thừa Thiên - Huế Nguyễn Văn Cao cho biết.")
    assert got["Nguyễn Hòa Bình"] == (None, ["Chánh án Tòa án nhân dân tối cao"])
    assert got["Phan Văn Sáu"] == (None, ["Tổng Thanh tra Chính phủ"])
    assert got["Uông Chu Lưu"] == (None, ["Phó Chủ tịch Quốc hội"])
    assert got["Phan Xuân Dũng"] == (None, ["Chủ nhiệm Ủy ban Khoa học, Công nghệ và Môi trường"])
    assert got["Nguyễn Văn Cao"] == (None, ["Chủ tịch UBND tỉnh Thừa Thiên - Huế"])
    assert "Thừa Thiên" not in got


def test_a_villages_name_after_trưởng_thôn_is_no_person_but_a_country_ending_a_title_is_no_village():
    got = officials("Trưởng thôn Hưng Thủy Tống Thị Láng cho biết. Bộ trưởng Tài chính Nhật Bản Taro Aso phát biểu.")
    assert got == {"Tống Thị Láng": (None, ["Trưởng thôn Hưng Thủy"]), "Taro Aso": (None, ["Bộ trưởng Tài chính Nhật Bản"])}
