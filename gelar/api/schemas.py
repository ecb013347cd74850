"""The API's output shapes; the OpenAPI document is generated from them."""

import datetime

from ninja import Schema


class Page(Schema):
    count: int
    page: int
    pages: int
    per_page: int


class RegencyOut(Schema):
    code: str
    name: str
    province_code: str


class ProvinceOut(Schema):
    code: str
    name: str


class CategoryOut(Schema):
    slug: str
    name: str
    name_en: str


class OrganizerOut(Schema):
    name: str
    slug: str


class SpeakerOut(Schema):
    name: str
    role: str


class SessionOut(Schema):
    title: str
    description: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    stream_url: str
    speakers: list[SpeakerOut]


class ExpoOut(Schema):
    slug: str
    name: str
    tagline: str
    organizer: OrganizerOut
    start_date: datetime.date
    end_date: datetime.date
    time_zone: str
    venue_name: str
    venue_address: str
    status: str
    phase: str
    planned_venue_percent: int
    planned_online_percent: int
    stream_url: str
    url: str


class ExpoDetailOut(ExpoOut):
    description: str
    sessions: list[SessionOut]


class ExpoPageOut(Page):
    results: list[ExpoOut]


class LinkOut(Schema):
    kind: str
    url: str


class ExhibitorOut(Schema):
    slug: str
    name: str
    category: CategoryOut
    region: RegencyOut
    province: ProvinceOut
    mode: str
    booth_code: str | None
    logo_url: str | None
    url: str


class ExhibitorDetailOut(ExhibitorOut):
    owner_name: str
    nib: str
    description: str
    whatsapp: str
    video_url: str
    links: list[LinkOut]


class ExhibitorPageOut(Page):
    results: list[ExhibitorOut]


class ImageOut(Schema):
    url: str
    alt: str


class ProductOut(Schema):
    id: int
    slug: str
    name: str
    exhibitor_slug: str
    exhibitor_name: str
    price: int
    stock: int
    in_stock: bool
    sku: str
    image: ImageOut | None
    url: str


class ProductDetailOut(ProductOut):
    description: str
    images: list[ImageOut]


class ProductPageOut(Page):
    results: list[ProductOut]


class ErrorOut(Schema):
    detail: str
