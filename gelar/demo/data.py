"""The vocabulary of the demo: who exhibits, what they sell, what the expos were.

Plain constants only; gelar.demo.services turns them into rows. Names are
invented but shaped like real UMKM of the regions in the 2021 article
(Pekalongan batik and snacks, Tasikmalaya crafts, Banjar sasirangan and
amplang, Cilacap coconut sugar, Semarang bandeng presto).
"""

from dataclasses import dataclass

# --- Regions ---------------------------------------------------------------

PEKALONGAN = "33.75"
TASIKMALAYA = "32.06"
BANJARBARU = "63.72"
BANJARMASIN = "63.71"  # Provinsi Kalimantan Selatan, beyond Banjarbaru
BANJAR = "63.03"  # Kabupaten Banjar (Martapura), also Kalimantan Selatan
CILACAP = "33.01"
SEMARANG = "33.74"

# The 2021 venue: 25 exhibitors of the city and one from each other region.
VENUE_REGIONS = [PEKALONGAN] * 25 + [TASIKMALAYA, BANJARBARU, BANJARMASIN, CILACAP, SEMARANG]
# The 70 online exhibitors, and the mix repeated for the extra ones of --scale.
ONLINE_REGIONS = (
    [PEKALONGAN] * 40
    + [TASIKMALAYA] * 7
    + [BANJARBARU] * 6
    + [BANJARMASIN] * 4
    + [BANJAR] * 3
    + [CILACAP] * 5
    + [SEMARANG] * 5
)

# --- Categories ------------------------------------------------------------

BATIK = "batik-fesyen"
FOOD = "makanan"
DRINKS = "minuman"
CRAFTS = "kerajinan"
FLAGSHIP = "produk-unggulan"
BEAUTY = "kecantikan-herbal"

# slug, Indonesian name, English name (position follows the list).
CATEGORIES = [
    (BATIK, "Batik & Fesyen", "Batik & Fashion"),
    (FOOD, "Makanan", "Food"),
    (DRINKS, "Minuman", "Drinks"),
    (CRAFTS, "Kerajinan", "Crafts"),
    (FLAGSHIP, "Produk Unggulan", "Flagship products"),
    (BEAUTY, "Kecantikan & Herbal", "Beauty & herbal"),
]

# How likely each category is for an exhibitor of a region (weights, not %).
CATEGORY_WEIGHTS: dict[str, dict[str, int]] = {
    PEKALONGAN: {BATIK: 40, FOOD: 25, DRINKS: 12, CRAFTS: 8, FLAGSHIP: 8, BEAUTY: 7},
    TASIKMALAYA: {CRAFTS: 40, BATIK: 25, FOOD: 20, DRINKS: 5, FLAGSHIP: 10},
    BANJARBARU: {BATIK: 25, FOOD: 25, FLAGSHIP: 25, CRAFTS: 10, DRINKS: 10, BEAUTY: 5},
    BANJARMASIN: {BATIK: 30, FOOD: 30, FLAGSHIP: 15, CRAFTS: 10, DRINKS: 10, BEAUTY: 5},
    BANJAR: {FLAGSHIP: 40, FOOD: 25, BATIK: 15, CRAFTS: 10, BEAUTY: 10},
    CILACAP: {FOOD: 40, DRINKS: 15, CRAFTS: 15, FLAGSHIP: 15, BATIK: 15},
    SEMARANG: {FOOD: 40, BATIK: 20, DRINKS: 15, CRAFTS: 10, BEAUTY: 15},
}

# --- Products --------------------------------------------------------------

JAVA = ("33", "32")
KALSEL = ("63",)


@dataclass(frozen=True)
class ProductKind:
    """A kind of product; a product's name is the kind's label and one variant.

    `label` is also what the demo picture of the kind shows. `regions` holds
    province codes ('63') or regency codes ('33.74') where the kind is made;
    empty means anywhere. `stem` is what a business selling it calls itself.
    """

    category: str
    label: str
    variants: tuple[str, ...]
    price_min: int
    price_max: int
    stem: str
    regions: tuple[str, ...] = ()

    def made_in(self, regency_code: str) -> bool:
        if not self.regions:
            return True
        return any(regency_code == r or regency_code.startswith(r + ".") for r in self.regions)


_MOTIFS = (
    "Motif Jlamprang",
    "Motif Buketan",
    "Motif Sekar Jagad",
    "Motif Parang",
    "Motif Kawung",
    "Motif Tujuh Rupa",
    "Motif Liong",
    "Motif Semen Rama",
)

PRODUCT_KINDS = [
    # Batik & fashion: Rp75.000 to Rp1.500.000.
    ProductKind(BATIK, "Kemeja Batik Tulis", _MOTIFS, 250_000, 850_000, "Batik Tulis", JAVA),
    ProductKind(BATIK, "Kemeja Batik Cap", _MOTIFS[:6], 150_000, 350_000, "Batik", JAVA),
    ProductKind(
        BATIK,
        "Kain Batik Tulis",
        _MOTIFS + ("Warna Alam",),
        350_000,
        1_500_000,
        "Batik Tulis",
        JAVA,
    ),
    ProductKind(BATIK, "Kain Batik Cap", _MOTIFS[:6], 120_000, 300_000, "Batik", JAVA),
    ProductKind(
        BATIK,
        "Daster Batik",
        ("Lengan Pendek", "Busui", "Jumbo", "Motif Bunga", "Kancing Depan"),
        75_000,
        150_000,
        "Batik",
    ),
    ProductKind(
        BATIK,
        "Blus Batik Wanita",
        ("Lengan Panjang", "Model Peplum", "Kerah Shanghai", "Motif Buketan"),
        125_000,
        275_000,
        "Batik",
    ),
    ProductKind(
        BATIK,
        "Gamis Batik",
        ("Motif Tujuh Rupa", "Kombinasi Polos", "Ukuran XL"),
        175_000,
        450_000,
        "Batik",
    ),
    ProductKind(
        BATIK,
        "Sarung Batik",
        ("Motif Kembang", "Motif Kotak", "Motif Pesisiran"),
        95_000,
        250_000,
        "Batik",
        JAVA,
    ),
    ProductKind(
        BATIK,
        "Selendang Batik Sutra",
        ("Motif Jlamprang", "Motif Buketan", "Gradasi"),
        250_000,
        900_000,
        "Batik",
        JAVA,
    ),
    ProductKind(
        BATIK,
        "Kain Batik Semarangan",
        ("Motif Asem Arang", "Motif Lawang Sewu", "Motif Warak Ngendog"),
        150_000,
        500_000,
        "Batik Semarangan",
        ("33.74",),
    ),
    ProductKind(
        BATIK,
        "Kebaya Bordir Tasik",
        ("Kerancang", "Brokat", "Lengan Panjang"),
        250_000,
        750_000,
        "Bordir",
        ("32",),
    ),
    ProductKind(
        BATIK,
        "Mukena Bordir",
        ("Katun Rayon", "Motif Bunga", "Dewasa"),
        200_000,
        550_000,
        "Bordir",
        ("32",),
    ),
    ProductKind(
        BATIK,
        "Kain Sasirangan",
        ("Motif Gigi Haruan", "Motif Kulat Karikit", "Motif Bayam Raja", "Motif Kambang Kacang"),
        150_000,
        650_000,
        "Sasirangan",
        KALSEL,
    ),
    ProductKind(
        BATIK,
        "Kemeja Sasirangan",
        ("Lengan Pendek", "Lengan Panjang", "Motif Ombak Sinapur Karang"),
        175_000,
        400_000,
        "Sasirangan",
        KALSEL,
    ),
    # Food: Rp10.000 to Rp75.000, things that keep well enough to ship.
    ProductKind(
        FOOD,
        "Keripik Usus",
        ("Original 250 g", "Pedas 250 g", "Balado 250 g", "Bawang 500 g"),
        12_000,
        35_000,
        "Keripik Usus",
    ),
    ProductKind(
        FOOD,
        "Kerupuk Udang",
        ("Mentah 250 g", "Mentah 500 g", "Siap Makan 200 g"),
        15_000,
        45_000,
        "Kerupuk",
    ),
    ProductKind(
        FOOD,
        "Sambal Roa",
        ("Botol 150 g", "Extra Pedas 150 g", "Botol 250 g"),
        25_000,
        55_000,
        "Sambal",
    ),
    ProductKind(
        FOOD,
        "Sambal Bawang",
        ("Original 150 g", "Cumi 150 g", "Teri 150 g"),
        18_000,
        40_000,
        "Sambal",
    ),
    ProductKind(FOOD, "Kerupuk Ikan Tenggiri", ("250 g", "500 g"), 20_000, 45_000, "Kerupuk"),
    ProductKind(
        FOOD,
        "Abon Ikan Tongkol",
        ("Original 100 g", "Pedas 100 g", "250 g"),
        25_000,
        60_000,
        "Abon",
    ),
    ProductKind(
        FOOD,
        "Emping Melinjo",
        ("Manis 250 g", "Pedas 250 g", "Original 500 g"),
        20_000,
        65_000,
        "Emping",
        JAVA,
    ),
    ProductKind(
        FOOD,
        "Keripik Tempe",
        ("Original 200 g", "Pedas Daun Jeruk 200 g", "Sagu 200 g"),
        10_000,
        25_000,
        "Keripik",
    ),
    ProductKind(
        FOOD,
        "Bumbu Megono Instan",
        ("Sachet 100 g", "Paket Isi 3"),
        12_000,
        35_000,
        "Megono",
        ("33.75",),
    ),
    ProductKind(
        FOOD,
        "Bumbu Tauto Pekalongan",
        ("2 Porsi", "4 Porsi", "Tauco Botol 250 g"),
        20_000,
        60_000,
        "Tauto",
        ("33.75",),
    ),
    ProductKind(
        FOOD,
        "Bandeng Presto",
        ("Original 500 g", "Vakum 1 kg", "Pedas 500 g"),
        45_000,
        75_000,
        "Bandeng Presto",
        ("33.74",),
    ),
    ProductKind(
        FOOD,
        "Wingko Babat",
        ("Isi 10", "Rasa Durian Isi 10", "Cokelat Isi 10"),
        25_000,
        50_000,
        "Wingko",
        ("33.74",),
    ),
    ProductKind(
        FOOD,
        "Amplang Ikan Pipih",
        ("200 g", "500 g", "Pedas 200 g"),
        25_000,
        70_000,
        "Amplang",
        KALSEL,
    ),
    ProductKind(FOOD, "Abon Ikan Haruan", ("100 g", "Pedas 100 g"), 30_000, 65_000, "Abon", KALSEL),
    ProductKind(
        FOOD, "Ikan Asin Jambal Roti", ("250 g", "500 g"), 35_000, 75_000, "Ikan Asin", ("33.01",)
    ),
    ProductKind(
        FOOD,
        "Gula Semut Kelapa",
        ("250 g", "500 g", "Jahe 250 g"),
        18_000,
        40_000,
        "Gula Kelapa",
        ("33.01",),
    ),
    ProductKind(
        FOOD,
        "Rengginang",
        ("Original 250 g", "Terasi 250 g", "Ketan Hitam 250 g"),
        15_000,
        30_000,
        "Rengginang",
        ("32",),
    ),
    # Drinks: Rp10.000 to Rp120.000.
    ProductKind(
        DRINKS,
        "Kopi Robusta Petungkriyono",
        ("Bubuk 200 g", "Biji Sangrai 250 g", "Drip Bag Isi 10"),
        35_000,
        95_000,
        "Kopi",
        ("33.75",),
    ),
    ProductKind(
        DRINKS,
        "Kopi Arabika Owa",
        ("Bubuk 200 g", "Biji 250 g", "Natural Process 200 g"),
        55_000,
        120_000,
        "Kopi",
        ("33.75",),
    ),
    ProductKind(
        DRINKS,
        "Sirup Kawista",
        ("Botol 620 ml", "Botol 330 ml", "Paket Isi 2"),
        25_000,
        55_000,
        "Sirup",
        JAVA,
    ),
    ProductKind(
        DRINKS, "Teh Melati Tubruk", ("Kemasan 100 g", "Kemasan 250 g"), 10_000, 30_000, "Teh"
    ),
    ProductKind(
        DRINKS, "Wedang Uwuh", ("Isi 5 Sachet", "Isi 10 Sachet", "Toples"), 15_000, 35_000, "Wedang"
    ),
    ProductKind(
        DRINKS, "Jahe Merah Instan", ("250 g", "500 g", "Gula Aren 250 g"), 20_000, 45_000, "Jamu"
    ),
    ProductKind(DRINKS, "Serbuk Temulawak", ("200 g", "400 g"), 18_000, 35_000, "Jamu"),
    ProductKind(DRINKS, "Kopi Jahe Sachet", ("Isi 10", "Isi 20"), 15_000, 30_000, "Kopi"),
    ProductKind(DRINKS, "Sirup Markisa", ("Botol 620 ml", "Botol 330 ml"), 25_000, 50_000, "Sirup"),
    ProductKind(
        DRINKS, "Kopi Galunggung", ("Bubuk 200 g", "Biji 250 g"), 40_000, 95_000, "Kopi", ("32",)
    ),
    ProductKind(
        DRINKS, "Kopi Pengaron", ("Bubuk 200 g", "Biji 250 g"), 35_000, 85_000, "Kopi", KALSEL
    ),
    # Crafts: Rp15.000 to Rp750.000.
    ProductKind(
        CRAFTS,
        "Tas Anyaman Pandan",
        ("Ukuran Sedang", "Ukuran Besar", "Motif Batik"),
        65_000,
        250_000,
        "Anyaman Pandan",
    ),
    ProductKind(
        CRAFTS, "Topi Bambu", ("Model Koboi", "Model Pantai", "Anak"), 35_000, 95_000, "Bambu"
    ),
    ProductKind(
        CRAFTS,
        "Dompet Kain Batik",
        ("Lipat", "Panjang", "Koin"),
        25_000,
        85_000,
        "Kriya Batik",
        JAVA,
    ),
    ProductKind(CRAFTS, "Tempat Tisu Anyaman", ("Persegi", "Bulat"), 30_000, 75_000, "Anyaman"),
    ProductKind(
        CRAFTS,
        "Hiasan Dinding Kayu",
        ("Motif Jlamprang", "Kaligrafi", "Bunga"),
        75_000,
        350_000,
        "Kayu",
    ),
    ProductKind(
        CRAFTS,
        "Miniatur Canting Batik",
        ("Set Isi 3", "Gantungan Kunci"),
        15_000,
        75_000,
        "Kriya Batik",
        JAVA,
    ),
    ProductKind(
        CRAFTS, "Sandal Batik", ("Pria", "Wanita", "Hotel"), 25_000, 85_000, "Kriya Batik", JAVA
    ),
    ProductKind(
        CRAFTS,
        "Kipas Batik",
        ("Kayu", "Bambu", "Suvenir Isi 10"),
        15_000,
        95_000,
        "Kriya Batik",
        JAVA,
    ),
    ProductKind(
        CRAFTS,
        "Tikar Mendong",
        ("100 x 200 cm", "150 x 200 cm", "Motif Warna"),
        85_000,
        350_000,
        "Mendong",
        ("32",),
    ),
    ProductKind(
        CRAFTS,
        "Payung Geulis",
        ("Kecil", "Sedang", "Besar"),
        75_000,
        450_000,
        "Payung Geulis",
        ("32",),
    ),
    ProductKind(
        CRAFTS,
        "Kelom Geulis",
        ("Lukis Bunga", "Ukir", "Anak"),
        85_000,
        250_000,
        "Kelom Geulis",
        ("32",),
    ),
    ProductKind(
        CRAFTS,
        "Tas Purun",
        ("Jinjing", "Selempang", "Motif Sasirangan"),
        45_000,
        175_000,
        "Purun",
        KALSEL,
    ),
    ProductKind(
        CRAFTS,
        "Kerang Hias",
        ("Lampu Tidur", "Bingkai Cermin", "Gantungan"),
        25_000,
        125_000,
        "Kerang",
        ("33.01",),
    ),
    # Flagship products: regional signatures and gift sets, Rp25.000 to Rp1.500.000.
    ProductKind(
        FLAGSHIP,
        "Paket Oleh-oleh Pekalongan",
        ("Kecil", "Besar", "Spesial Lebaran"),
        75_000,
        250_000,
        "Oleh-oleh",
        ("33.75",),
    ),
    ProductKind(
        FLAGSHIP,
        "Hampers Batik dan Kopi",
        ("Reguler", "Premium"),
        150_000,
        450_000,
        "Hampers",
        ("33.75",),
    ),
    ProductKind(
        FLAGSHIP,
        "Kain Batik Warna Alam",
        ("Indigo", "Tingi", "Jolawe"),
        450_000,
        1_500_000,
        "Batik Warna Alam",
        JAVA,
    ),
    ProductKind(
        FLAGSHIP,
        "Batik Kayu",
        ("Topeng", "Kotak Perhiasan", "Nampan"),
        45_000,
        250_000,
        "Batik Kayu",
        JAVA,
    ),
    ProductKind(
        FLAGSHIP,
        "Cincin Batu Kecubung",
        ("Perak", "Kuningan", "Ukuran Besar"),
        150_000,
        1_200_000,
        "Permata",
        KALSEL,
    ),
    ProductKind(
        FLAGSHIP,
        "Gelang Batu Permata Martapura",
        ("Kalimaya", "Kecubung", "Campur"),
        95_000,
        650_000,
        "Permata",
        KALSEL,
    ),
    ProductKind(
        FLAGSHIP,
        "Kalung Mutiara Air Tawar",
        ("Satu Untai", "Dua Untai"),
        150_000,
        750_000,
        "Mutiara",
        KALSEL,
    ),
    ProductKind(
        FLAGSHIP,
        "Payung Geulis Hias",
        ("Pajangan", "Pengantin"),
        150_000,
        500_000,
        "Payung Geulis",
        ("32",),
    ),
    ProductKind(
        FLAGSHIP,
        "Paket Oleh-oleh Semarang",
        ("Kecil", "Besar"),
        85_000,
        250_000,
        "Oleh-oleh",
        ("33.74",),
    ),
    ProductKind(
        FLAGSHIP,
        "Hampers Gula Kelapa",
        ("Reguler", "Premium"),
        100_000,
        300_000,
        "Hampers",
        ("33.01",),
    ),
    ProductKind(
        FLAGSHIP,
        "Suvenir Miniatur Batik",
        ("Bingkai Kecil", "Bingkai Besar", "Gantungan Kunci Isi 12"),
        25_000,
        150_000,
        "Suvenir",
    ),
    # Beauty & herbal: Rp15.000 to Rp150.000.
    ProductKind(
        BEAUTY, "Sabun Herbal", ("Sereh", "Kopi", "Kunyit", "Bengkuang"), 15_000, 35_000, "Herbal"
    ),
    ProductKind(
        BEAUTY, "Lulur Tradisional", ("Mangir", "Kopi", "Beras Kencur"), 25_000, 65_000, "Lulur"
    ),
    ProductKind(BEAUTY, "Minyak Telon Aromaterapi", ("60 ml", "100 ml"), 20_000, 45_000, "Herbal"),
    ProductKind(BEAUTY, "Jamu Kunyit Asam Serbuk", ("200 g", "400 g"), 15_000, 35_000, "Jamu"),
    ProductKind(BEAUTY, "Minyak Kemiri", ("50 ml", "100 ml"), 25_000, 60_000, "Herbal"),
    ProductKind(
        BEAUTY, "Masker Wajah Bengkuang", ("Serbuk 50 g", "Serbuk 100 g"), 20_000, 45_000, "Herbal"
    ),
    ProductKind(
        BEAUTY, "Pupur Dingin", ("Beras", "Bengkuang", "Temulawak"), 15_000, 30_000, "Pupur", KALSEL
    ),
    ProductKind(BEAUTY, "Paket Perawatan Herbal", ("Reguler", "Hadiah"), 75_000, 150_000, "Herbal"),
]

# Sentences a product description is built from, per category.
PRODUCT_DETAILS: dict[str, list[str]] = {
    BATIK: [
        "Kain katun primisima yang adem, nyaman dipakai harian maupun acara resmi.",
        "Dibatik dan diwarnai tangan oleh perajin setempat; tiap lembar sedikit berbeda.",
        "Pewarna ramah lingkungan, warna tidak mudah luntur bila dicuci dengan benar.",
        "Tersedia ukuran S sampai XXL; tanyakan ketersediaan lewat WhatsApp.",
    ],
    FOOD: [
        "Dibuat tanpa pengawet dan tanpa penyedap buatan, tahan hingga tiga bulan.",
        "Kemasan standing pouch dengan zip, praktis untuk oleh-oleh.",
        "Sudah bersertifikat PIRT dan halal.",
        "Renyah dan gurih, cocok untuk camilan keluarga.",
    ],
    DRINKS: [
        "Bahan dipetik dan diolah sendiri oleh petani setempat.",
        "Cukup seduh dengan air panas, tanpa pemanis buatan.",
        "Sudah bersertifikat PIRT dan halal.",
        "Nikmat disajikan hangat maupun dingin.",
    ],
    CRAFTS: [
        "Dianyam tangan dari bahan alam pilihan.",
        "Cocok untuk suvenir, hiasan rumah, atau hadiah.",
        "Menerima pesanan dalam jumlah besar untuk acara dan kantor.",
        "Setiap barang dibuat satu per satu, sehingga motif bisa sedikit berbeda.",
    ],
    FLAGSHIP: [
        "Produk unggulan daerah yang dikurasi oleh Dekranasda.",
        "Dikemas rapi dalam kotak, siap menjadi hadiah.",
        "Dilengkapi kartu keterangan asal-usul produk.",
        "Menerima pesanan khusus untuk instansi dan perusahaan.",
    ],
    BEAUTY: [
        "Diracik dari rempah dan tanaman obat pilihan.",
        "Sudah terdaftar di BPOM, aman untuk pemakaian sehari-hari.",
        "Aroma alami tanpa pewangi sintetis.",
        "Resep turun-temurun keluarga.",
    ],
}

# Alt text of a product's first, second and third picture.
IMAGE_ALTS = ["Foto {name}", "{name}, tampak detail", "{name}, tampak kemasan"]

# --- Exhibitors -------------------------------------------------------------

JAVANESE, SUNDANESE, BANJARESE = "jawa", "sunda", "banjar"


def culture_of(regency_code: str) -> str:
    if regency_code.startswith("32."):
        return SUNDANESE
    if regency_code.startswith("63."):
        return BANJARESE
    return JAVANESE


# Given names and family or second names; an owner is one of each.
OWNER_NAMES: dict[str, dict[str, tuple[list[str], list[str]]]] = {
    JAVANESE: {
        "f": (
            ["Sri", "Siti", "Endang", "Retno", "Dwi", "Tri", "Umi", "Nur", "Rini", "Hj. Siti"],
            [
                "Wahyuni",
                "Sunarti",
                "Lestari",
                "Rahayu",
                "Handayani",
                "Khotimah",
                "Mulyani",
                "Astuti",
                "Kulsum",
                "Wulandari",
                "Sumarni",
                "Maryam",
                "Aminah",
                "Purwati",
            ],
        ),
        "m": (
            [
                "Slamet",
                "Bambang",
                "Agus",
                "Joko",
                "Budi",
                "Eko",
                "Ahmad",
                "Muhammad",
                "Teguh",
                "H. Abdul",
            ],
            [
                "Riyadi",
                "Sutrisno",
                "Setiawan",
                "Purnomo",
                "Santoso",
                "Prasetyo",
                "Fauzi",
                "Hartono",
                "Hidayat",
                "Rifai",
                "Wibowo",
                "Susanto",
                "Saputra",
            ],
        ),
    },
    SUNDANESE: {
        "f": (
            ["Euis", "Imas", "Neneng", "Iis", "Tati", "Enung", "Yeni", "Cucu", "Entin"],
            [
                "Kurniasih",
                "Masitoh",
                "Rohaeni",
                "Rostini",
                "Suryati",
                "Nurhayati",
                "Marlina",
                "Komariah",
            ],
        ),
        "m": (
            ["Asep", "Dede", "Ujang", "Cecep", "Dadang", "Yayat", "Ade", "Encep", "Iwan"],
            [
                "Saepudin",
                "Kurniawan",
                "Suherman",
                "Hidayat",
                "Supriatna",
                "Sudrajat",
                "Sumarna",
                "Mulyana",
            ],
        ),
    },
    BANJARESE: {
        "f": (
            ["Siti", "Hj. Salmah", "Norhayati", "Hamidah", "Mahlina", "Arbainah", "Rusmini"],
            ["Aisyah", "Rahmah", "Noor", "Jannah", "Hasanah", "Saidah"],
        ),
        "m": (
            [
                "Muhammad",
                "Ahmad",
                "Rahmadi",
                "Syahrani",
                "Masrani",
                "Fahrurrazi",
                "Jumberi",
                "Saufi",
            ],
            ["Noor", "Rifani", "Hidayat", "Arsyad", "Ansyari", "Rusdiansyah", "Mahmud"],
        ),
    },
}

# How a customer addresses the owner: "Keripik Usus Bu Narti", "Kang Asep", "Acil Salmah".
HONORIFICS = {
    JAVANESE: {"f": "Bu", "m": "Pak"},
    SUNDANESE: {"f": "Ceu", "m": "Kang"},
    BANJARESE: {"f": "Acil", "m": "Pak"},
}
# Given names people are rarely called by on their own.
_NOT_A_CALLING_NAME = {
    "Sri",
    "Siti",
    "Nur",
    "Dwi",
    "Tri",
    "Muhammad",
    "Ahmad",
    "Hj.",
    "H.",
    "Abdul",
}


def calling_name(owner: str) -> str:
    """'Sri Sunarti' -> 'Sunarti', 'Asep Saepudin' -> 'Asep'."""
    words = owner.split()
    for word in words:
        if word not in _NOT_A_CALLING_NAME:
            return word
    return words[-1]


BUSINESS_NAME_TEMPLATES: dict[str, list[str]] = {
    BATIK: ["{stem} {word}", "Rumah {stem} {word}", "{stem} {call}", "Griya {stem} {word}"],
    FOOD: ["{stem} {call}", "{stem} {word}", "Dapur {call}", "Aneka {stem} {word}"],
    DRINKS: ["{stem} {word}", "{stem} {call}", "Kedai {stem} {word}"],
    CRAFTS: ["{stem} {word}", "Kerajinan {stem} {call}", "Sanggar {stem} {word}"],
    FLAGSHIP: ["{stem} {word}", "Galeri {stem} {word}", "Pusat {stem} {word}"],
    BEAUTY: ["{stem} {word}", "Rumah {stem} {call}", "{word} Herbal"],
}
BUSINESS_WORDS: dict[str, list[str]] = {
    BATIK: [
        "Sekar Jagad",
        "Pesisiran",
        "Larasati",
        "Puspa Sari",
        "Kencana",
        "Sido Mukti",
        "Kawung Mas",
        "Lintang Sari",
        "Arum Dalu",
        "Sogan Mas",
        "Tirta Kencana",
        "Sekar Arum",
        "Widuri",
        "Pesindon",
        "Kauman",
        "Ayu Lestari",
        "Galuh",
        "Intan Sari",
    ],
    FOOD: [
        "Sari Rasa",
        "Mekar Sari",
        "Barokah",
        "Berkah Jaya",
        "Rasa Nikmat",
        "Sumber Rejeki",
        "Dua Putri",
        "Tiga Saudara",
        "Mulya",
        "Sinar Jaya",
        "Pesisir",
        "Al-Amin",
    ],
    DRINKS: [
        "Owa",
        "Petung",
        "Sari Alam",
        "Seduh",
        "Nusantara",
        "Segar Waras",
        "Tirta",
        "Lereng Gunung",
        "Kawi",
    ],
    CRAFTS: [
        "Lestari",
        "Karya Mandiri",
        "Kreasi",
        "Sejahtera",
        "Tangan Terampil",
        "Mekar",
        "Citra",
        "Ngudi Rejeki",
    ],
    FLAGSHIP: [
        "Intan",
        "Kencana",
        "Nusantara",
        "Sentosa",
        "Cahaya",
        "Permata Hati",
        "Harapan",
        "Mustika",
    ],
    BEAUTY: ["Ayu Alami", "Sekar Wangi", "Kembang Desa", "Alam Sehat", "Wangi Sari", "Dewi Sinta"],
}


@dataclass(frozen=True)
class CuratedExhibitor:
    """A hand-written exhibitor that takes the first free slot of its region and mode."""

    name: str
    owner: str
    gender: str
    kind_label: str
    regency_code: str
    at_venue: bool


CURATED_EXHIBITORS = [
    CuratedExhibitor(
        "Batik Tulis Sekar Jagad", "Hj. Siti Maryam", "f", "Kain Batik Tulis", PEKALONGAN, True
    ),
    CuratedExhibitor("Keripik Usus Bu Narti", "Sri Sunarti", "f", "Keripik Usus", PEKALONGAN, True),
    CuratedExhibitor("Kopi Owa", "Ahmad Khoirul Anam", "m", "Kopi Arabika Owa", PEKALONGAN, True),
    CuratedExhibitor(
        "Sirup Kawista Sari Alam", "Endang Lestari", "f", "Sirup Kawista", PEKALONGAN, True
    ),
    CuratedExhibitor(
        "Anyaman Pandan Lestari", "Umi Kulsum", "f", "Tas Anyaman Pandan", PEKALONGAN, True
    ),
    CuratedExhibitor(
        "Batik Jlamprang Pesindon",
        "H. Abdul Basalamah",
        "m",
        "Kemeja Batik Tulis",
        PEKALONGAN,
        True,
    ),
    CuratedExhibitor(
        "Kerupuk Udang Pak Darmo", "Darmo Riyadi", "m", "Kerupuk Udang", PEKALONGAN, True
    ),
    CuratedExhibitor(
        "Payung Geulis Sari Indah", "Euis Kurniasih", "f", "Payung Geulis", TASIKMALAYA, True
    ),
    CuratedExhibitor(
        "Amplang Acil Salmah", "Hj. Salmah Noor", "f", "Amplang Ikan Pipih", BANJARBARU, True
    ),
    CuratedExhibitor(
        "Sasirangan Galuh Banjar", "Fahrurrazi Arsyad", "m", "Kain Sasirangan", BANJARMASIN, True
    ),
    CuratedExhibitor(
        "Gula Semut Serayu", "Bambang Purnomo", "m", "Gula Semut Kelapa", CILACAP, True
    ),
    CuratedExhibitor(
        "Bandeng Presto Bu Lies", "Lies Handayani", "f", "Bandeng Presto", SEMARANG, True
    ),
    CuratedExhibitor(
        "Anyaman Mendong Rajapolah", "Asep Saepudin", "m", "Tikar Mendong", TASIKMALAYA, False
    ),
    CuratedExhibitor(
        "Permata Martapura Mustika",
        "Muhammad Arsyad",
        "m",
        "Gelang Batu Permata Martapura",
        BANJAR,
        False,
    ),
]

CATEGORY_KIND_WORDS = {
    BATIK: "batik dan fesyen",
    FOOD: "makanan olahan",
    DRINKS: "minuman",
    CRAFTS: "kerajinan tangan",
    FLAGSHIP: "produk unggulan daerah",
    BEAUTY: "produk kecantikan dan herbal",
}
EXHIBITOR_MIDDLE_SENTENCES = [
    "Usaha ini dikelola {owner} bersama {staff} orang pekerja dari lingkungan sekitar.",
    "Semua produk dibuat sendiri oleh {owner} dan keluarga dengan bahan pilihan.",
    "Bermula dari usaha rumahan, kini {owner} mempekerjakan {staff} orang tetangga.",
]
EXHIBITOR_CLOSING_SENTENCES = [
    "Produk kami sudah dijual di marketplace dan siap dikirim ke seluruh Indonesia.",
    "Lewat pameran hybrid kami ingin menjangkau pembeli baru dan naik kelas.",
    "Kami menerima pesanan partai besar untuk toko oleh-oleh, kantor, dan acara.",
    "Setelah pandemi, penjualan daring menjadi jalan kami bangkit kembali.",
]

STREETS = [
    "Jl. Jenderal Sudirman",
    "Jl. Ahmad Yani",
    "Jl. Diponegoro",
    "Jl. Gajah Mada",
    "Jl. Hayam Wuruk",
    "Jl. Dr. Sutomo",
    "Jl. Kartini",
    "Jl. Imam Bonjol",
    "Jl. Pahlawan",
    "Jl. Merdeka",
    "Jl. Veteran",
    "Jl. KH. Mansyur",
    "Jl. Melati",
    "Jl. Kenanga",
    "Jl. Cempaka",
]
LOCALITIES: dict[str, list[str]] = {
    PEKALONGAN: [
        "Kel. Kauman",
        "Kel. Pesindon",
        "Kel. Kradenan",
        "Kel. Landungsari",
        "Kel. Medono",
        "Kel. Pasirsari",
        "Kel. Bendan Kergon",
        "Kel. Podosugih",
        "Kel. Tirto",
        "Kel. Krapyak",
        "Kel. Panjang Wetan",
        "Kel. Kuripan Lor",
        "Kel. Banyurip",
    ],
    TASIKMALAYA: [
        "Kec. Rajapolah",
        "Kec. Singaparna",
        "Kec. Manonjaya",
        "Kec. Sukaraja",
        "Kec. Ciawi",
    ],
    BANJARBARU: [
        "Kel. Loktabat Utara",
        "Kel. Guntung Manggis",
        "Kel. Sungai Besar",
        "Kel. Cempaka",
    ],
    BANJARMASIN: [
        "Kel. Sungai Jingah",
        "Kel. Kuin Utara",
        "Kel. Teluk Dalam",
        "Kel. Kelayan Dalam",
    ],
    BANJAR: ["Kec. Martapura", "Kec. Astambul", "Kec. Karang Intan"],
    CILACAP: ["Kec. Kroya", "Kec. Majenang", "Kec. Kesugihan", "Kec. Cilacap Selatan"],
    SEMARANG: ["Kel. Pedurungan Kidul", "Kel. Tembalang", "Kel. Bandarharjo", "Kel. Purwodinatan"],
}

# Indonesian mobile prefixes after the 62 (Telkomsel, Indosat, XL, Smartfren, Tri...).
MOBILE_PREFIXES = [
    "811",
    "812",
    "813",
    "821",
    "822",
    "852",
    "853",
    "856",
    "857",
    "858",
    "877",
    "878",
    "895",
    "896",
]
NIB_PREFIXES = ["9120", "8120", "0220", "1212"]

LINK_URLS = {
    "shopee": "https://shopee.co.id/{handle}",
    "tokopedia": "https://www.tokopedia.com/{handle}",
    "instagram": "https://www.instagram.com/{handle}/",
    "tiktok": "https://www.tiktok.com/@{handle}",
    "facebook": "https://www.facebook.com/{handle}",
}

# --- Organizer and expos ----------------------------------------------------

ORGANIZER = {
    "slug": "dindakop-pekalongan",
    "name": "Dinas Perdagangan, Koperasi dan UKM Kota Pekalongan",
    "short_name": "Dindakop UKM Kota Pekalongan",
    "website": "https://pekalongankota.go.id/",
}

MAYOR = ("H. A. Afzan Arslan Djunaid", "Wali Kota Pekalongan")
HEAD_OF_DEPARTMENT = ("Budiyanto", "Kepala Dinas Perdagangan, Koperasi dan UKM Kota Pekalongan")
DEKRANASDA_CHAIR = ("Hj. Inggit Soraya", "Ketua Dekranasda Kota Pekalongan")

EXPO_2021 = {
    "slug": "pekalongan-hybrid-expo-2021",
    "name": "Pekalongan Hybrid Expo 2021",
    "tagline": "Pameran hybrid pertama Kota Pekalongan: bangkit bersama, UMKM naik kelas",
    "description": (
        "Hampir dua tahun pandemi Covid-19 membuat pelaku UMKM tidak bisa berjualan "
        "secara langsung, dan omzet mereka turun. Pekalongan Hybrid Expo 2021 mempertemukan "
        "kembali UMKM dengan pembelinya: 30 persen di Gedung HA Djunaid Convention Center "
        "dan 70 persen secara daring, disiarkan langsung di kanal YouTube Pemerintah Kota "
        "Pekalongan.\n\n"
        "Sekitar seratus UMKM ikut serta, dari Kota Pekalongan dan dari Kabupaten "
        "Tasikmalaya, Kota Banjarbaru, Provinsi Kalimantan Selatan, Cilacap, dan Kota "
        "Semarang: batik dan fesyen, makanan, minuman, kerajinan, dan produk unggulan "
        "daerah. Wali Kota Pekalongan dan Ketua Dekranasda ikut mempromosikan produk UMKM "
        "secara virtual. Setelah pameran usai, stan daring tetap buka sebagai mal virtual."
    ),
    "start_date": (2021, 11, 24),
    "end_date": (2021, 11, 25),
    "venue_name": "Gedung HA Djunaid Convention Center",
    "venue_address": "Jl. Sriwijaya No. 44, Kota Pekalongan, Jawa Tengah",
    "planned_venue_percent": 30,
    "venue_booth_quota": 30,
    "stream_url": "https://www.youtube.com/watch?v=pKl9HxE2021",
}

EXPO_2027 = {
    "slug": "pekalongan-hybrid-expo-2027",
    "name": "Pekalongan Hybrid Expo 2027",
    "tagline": "UMKM naik kelas: dari stan pameran ke pasar nasional",
    "description": (
        "Enam tahun setelah pameran hybrid pertama, Pekalongan Hybrid Expo kembali ke "
        "Gedung HA Djunaid Convention Center. Kali ini separuh peserta hadir di lokasi dan "
        "terbuka untuk umum dengan pendaftaran per sesi kunjungan; separuh lainnya berjualan "
        "daring dengan siaran langsung dan belanja dari banyak stan dalam satu keranjang.\n\n"
        "Ada temu bisnis untuk pembeli partai besar, kelas ekspor, dan live shopping batik "
        "Pekalongan. Pembayaran dengan QRIS atau transfer bank."
    ),
    "start_date": (2027, 5, 20),
    "end_date": (2027, 5, 22),
    "venue_name": "Gedung HA Djunaid Convention Center",
    "venue_address": "Jl. Sriwijaya No. 44, Kota Pekalongan, Jawa Tengah",
    "planned_venue_percent": 50,
    "venue_booth_quota": 36,
    "stream_url": "https://www.youtube.com/watch?v=Pk27hYbrDx5",
}

# (day, start "HH:MM", end, title, description, [(speaker, role), ...]) in the expo's zone.
AGENDA_2021 = [
    (
        (2021, 11, 24),
        "09:00",
        "10:00",
        "Pembukaan Pekalongan Hybrid Expo 2021",
        "Sambutan dan pembukaan resmi pameran, disiarkan langsung dari Gedung HA Djunaid.",
        [MAYOR, HEAD_OF_DEPARTMENT],
    ),
    (
        (2021, 11, 24),
        "10:00",
        "11:00",
        "Promosi Produk UMKM bersama Wali Kota",
        "Wali Kota Pekalongan berkeliling stan dan mempromosikan produk UMKM secara langsung "
        "kepada penonton siaran.",
        [MAYOR],
    ),
    (
        (2021, 11, 24),
        "13:00",
        "14:00",
        "Talk Show: Batik Go Digital",
        "Cara perajin batik memotret produk, membuka toko daring, dan melayani pembeli "
        "lewat WhatsApp.",
        [
            ("Rizky Amalia", "Pendamping UMKM Digital, Dindakop UKM Kota Pekalongan"),
            ("H. Abdul Basalamah", "Pemilik Batik Jlamprang Pesindon"),
        ],
    ),
    (
        (2021, 11, 24),
        "15:00",
        "16:00",
        "Demo Masak: Megono dan Tauto Pekalongan",
        "Memasak kuliner khas Pekalongan dengan bumbu produksi UMKM peserta pameran.",
        [("Chef Wahyu Hidayat", "Juru masak dan pegiat kuliner Pekalongan")],
    ),
    (
        (2021, 11, 25),
        "09:30",
        "10:30",
        "Promosi Produk oleh Ketua Dekranasda Kota Pekalongan",
        "Ketua Dekranasda memperkenalkan kerajinan dan batik unggulan Kota Pekalongan "
        "secara virtual.",
        [DEKRANASDA_CHAIR],
    ),
    (
        (2021, 11, 25),
        "11:00",
        "12:00",
        "Talk Show: QRIS untuk UMKM",
        "Menerima pembayaran dari semua bank dan dompet digital dengan satu kode QR.",
        [
            ("Dimas Prasetyo", "Narasumber sistem pembayaran"),
            ("Sri Sunarti", "Pemilik Keripik Usus Bu Narti"),
        ],
    ),
    (
        (2021, 11, 25),
        "13:30",
        "14:30",
        "Kelas Foto Produk dengan Ponsel",
        "Memotret produk yang menarik pembeli hanya dengan ponsel dan cahaya jendela.",
        [("Nadia Putri", "Fotografer produk")],
    ),
    (
        (2021, 11, 25),
        "15:30",
        "16:30",
        "Penutupan dan Pengumuman Stan Terfavorit",
        "Rekap transaksi selama pameran dan penghargaan bagi stan pilihan pengunjung.",
        [HEAD_OF_DEPARTMENT],
    ),
]

AGENDA_2027 = [
    (
        (2027, 5, 20),
        "09:00",
        "10:00",
        "Pembukaan Pekalongan Hybrid Expo 2027",
        "Pembukaan resmi, di lokasi dan di siaran langsung.",
        [
            ("Wali Kota Pekalongan", "Sambutan dan pembukaan"),
            (ORGANIZER["short_name"], "Penyelenggara"),
        ],
    ),
    (
        (2027, 5, 20),
        "13:00",
        "14:30",
        "Live Shopping: Batik Pekalongan untuk Pasar Nasional",
        "Pembawa acara menyematkan produk batik pilihan; penonton membeli langsung dari siaran.",
        [("Nadia Putri", "Pembawa acara live shopping")],
    ),
    (
        (2027, 5, 21),
        "10:00",
        "12:00",
        "Temu Bisnis: UMKM dan Pembeli Partai Besar",
        "Pertemuan terjadwal antara peserta dan pembeli dari jaringan toko oleh-oleh dan ritel.",
        [("Hendra Gunawan", "Pembeli, jaringan toko oleh-oleh Jawa Tengah")],
    ),
    (
        (2027, 5, 21),
        "14:00",
        "15:30",
        "Kelas Ekspor untuk UMKM",
        "Dokumen, kemasan, dan harga untuk pembeli luar negeri.",
        [("Ratna Sari Dewi", "Fasilitator ekspor UMKM")],
    ),
    (
        (2027, 5, 22),
        "15:00",
        "16:00",
        "Penutupan dan Penghargaan UMKM Naik Kelas",
        "Penghargaan bagi peserta dengan pertumbuhan omzet terbesar sejak pameran sebelumnya.",
        [(ORGANIZER["short_name"], "Penyelenggara")],
    ),
]

# --- Payments and orders (issue 4) ---------------------------------------------

# Banks an exhibitor's transfer details name; the account numbers are made up.
DEMO_BANKS = ["BRI", "BNI", "Bank Mandiri", "BCA", "BSI", "Bank Jateng"]

# Buyers of the demo orders: (name, WhatsApp, email). The numbers follow the demo
# logins' 0812-0000-xxxx pattern and the emails use the placeholder domain contoh.id.
DEMO_BUYERS = [
    ("Siti Nurhaliza", "6281200001001", "siti.nurhaliza@contoh.id"),
    ("Bambang Sutrisno", "6281200001002", "bambang.sutrisno@contoh.id"),
    ("Dewi Lestari", "6281200001003", "dewi.lestari@contoh.id"),
    ("Agus Setiawan", "6281200001004", "agus.setiawan@contoh.id"),
    ("Rina Marlina", "6281200001005", ""),
    ("Hendra Wijaya", "6281200001006", "hendra.wijaya@contoh.id"),
    ("Yuni Astuti", "6281200001007", "yuni.astuti@contoh.id"),
    ("Fajar Nugroho", "6281200001008", ""),
]

# Where the couriers and local deliveries of the demo orders go: (address, city, postal code).
DEMO_ADDRESSES = [
    ("Jl. Hayam Wuruk No. 12, Kauman", "Kota Pekalongan", "51121"),
    ("Jl. Pemuda No. 45, Sekayu", "Kota Semarang", "50132"),
    ("Jl. Merdeka No. 7, Kebon Pisang", "Kota Bandung", "40117"),
    ("Jl. Kaliurang Km 5 No. 20, Caturtunggal", "Kabupaten Sleman", "55281"),
    ("Jl. Ahmad Yani No. 88, Kemayoran", "Kota Surabaya", "60242"),
    ("Jl. Cempaka Putih Raya No. 3", "Kota Jakarta Pusat", "10510"),
]

DEMO_REFUND_REASON = "Pesanan dibatalkan setelah dibayar; dana dikembalikan lewat transfer."
DEMO_CANCEL_REASONS = [
    "Pembeli salah memilih ukuran dan meminta pesanan dibatalkan.",
    "Stok ternyata rusak saat dikemas; dana dikembalikan ke pembeli.",
]

# --- Live shopping (issue 5) -----------------------------------------------------

# The Mayor's promotion on the first day of 2021 (AGENDA_2021), as the host planned it:
# (exhibitor, product kind, the note the host reads on air). The exhibitors are
# curated ones at the venue, so the names do not move when the plan changes.
LIVE_2021_SESSION = "Promosi Produk UMKM bersama Wali Kota"
LIVE_2021_RUN_SHEET = [
    (
        "Batik Tulis Sekar Jagad",
        "Kain Batik Tulis",
        "Pembuka: Wali Kota membentangkan kain; sebut dua bulan pengerjaan dengan canting.",
    ),
    (
        "Keripik Usus Bu Narti",
        "Keripik Usus",
        "Bu Narti menawarkan cicip di stan; ingatkan bisa dikirim ke luar kota.",
    ),
    (
        "Batik Jlamprang Pesindon",
        "Kemeja Batik Tulis",
        "Wali Kota mencoba kemeja motif Jlamprang; ukuran M sampai XXL.",
    ),
    (
        "Kopi Owa",
        "Kopi Arabika Owa",
        "Kopi dari petani Petungkriyono; sebut harga khusus selama pameran.",
    ),
    (
        "Sirup Kawista Sari Alam",
        "Sirup Kawista",
        "Tuang dengan es batu di depan kamera; rasanya segar seperti cola.",
    ),
    (
        "Anyaman Pandan Lestari",
        "Tas Anyaman Pandan",
        "Penutup: tunjukkan detail anyaman; cocok untuk oleh-oleh.",
    ),
]
# (minutes into the session, run sheet position, clicks, added to cart): each pin
# closes the one before it; the last is still pinned.
LIVE_2021_PINS = [(8, 0, 96, 31), (22, 1, 142, 48), (38, 2, 57, 19)]
LIVE_2021_ANNOUNCEMENT = (
    "Beli langsung dari siaran: tekan Beli sekarang, bayar dengan QRIS atau transfer."
)
# Paid orders bought from the pins: (minutes into the session, pin index, quantity, buyer).
LIVE_2021_ORDERS = [(12, 0, 1, 0), (25, 1, 2, 1), (29, 1, 3, 2), (43, 2, 1, 3)]
LIVE_2021_VIEWERS = [
    "Bu Ratna Kajen",
    "Mas Dimas",
    "Siti Aminah",
    "Pak Harjo",
    "Nurul Batang",
    "Yogi Semarang",
    "Dewi Wiradesa",
    "Rizal",
    "Promo Toko Sebelah",
    "Mbak Fitri",
]
# (minutes into the session, viewer index, text). LIVE_2021_SPAM is hidden by the host;
# one message holds a word of the default filter and is stored masked.
LIVE_2021_SPAM = "Mampir ke toko saya juga ya, lebih murah: wa.me/6281200009999"
LIVE_2021_CHAT = [
    (2, 0, "Selamat pagi Pak Wali! Nonton dari Kajen."),
    (3, 1, "Hadir dari Semarang, semangat UMKM Pekalongan!"),
    (5, 2, "Batiknya cantik sekali, itu motif apa ya?"),
    (7, 3, "Suaranya jelas, gambarnya juga bagus."),
    (9, 4, "Kain batik tulisnya berapa lama bikinnya, Bu?"),
    (10, 2, "Wah dua bulan, pantas halus sekali."),
    (12, 5, "Sudah checkout satu kain, semoga cepat sampai Semarang."),
    (14, 6, "Bisa kirim ke Jakarta tidak?"),
    (15, 0, "Bisa Bu, tadi disebut dikirim dari stan."),
    (17, 7, "Salam dari Wiradesa, bangga sama UMKM kita."),
    (19, 8, LIVE_2021_SPAM),
    (21, 3, "Keripik usus favorit keluarga, wajib beli."),
    (23, 9, "Keripik ususnya pedas atau original ya?"),
    (24, 1, "Ada dua rasa katanya, pedas dan original."),
    (26, 4, "Langsung masuk keranjang, harganya pas."),
    (28, 5, "Anjir, murah banget! Langsung beli dua."),
    (30, 6, "Kopi Owa enak, sudah langganan dari tahun lalu."),
    (31, 7, "Sirup kawista itu rasanya seperti apa?"),
    (33, 2, "Seperti cola tapi lebih segar, coba deh."),
    (35, 0, "Pak Wali cocok pakai kemeja batik Jlamprang!"),
    (38, 9, "Kemejanya ada ukuran XL?"),
    (39, 3, "Ada, tadi disebut M sampai XXL."),
    (41, 1, "Belanja dari rumah tapi rasanya seperti datang ke pameran."),
    (43, 5, "Kemeja sudah dibayar pakai QRIS, gampang sekali."),
    (45, 6, "Tas anyaman pandannya bagus buat oleh-oleh."),
    (47, 4, "Semoga tahun depan ada lagi expo seperti ini."),
    (49, 7, "Terima kasih Pak Wali, sukses terus UMKM Pekalongan!"),
    (51, 2, "Sampai jumpa di hari kedua!"),
    (53, 9, "Besok ada demo masak megono kan?"),
    (55, 0, "Iya, jam tiga sore. Jangan lupa nonton!"),
]
# The host hides the spam this many minutes after it was sent.
LIVE_2021_SPAM_HIDDEN_AFTER = 1

# A session of the 2027 expo on air whenever the demo starts (load_demo moves it
# around "now"): a preview broadcast before the expo, with a run sheet and a pin.
LIVE_ON_AIR_TITLE = "Siaran Langsung: Promosi Produk UMKM bersama Wali Kota"
LIVE_ON_AIR_DESCRIPTION = (
    "Siaran pratinjau Pekalongan Hybrid Expo 2027: Wali Kota menyapa penonton dan "
    "mempromosikan produk peserta. Produk yang disematkan bisa langsung dibeli dari "
    "halaman ini."
)
LIVE_ON_AIR_SPEAKERS = [
    ("Wali Kota Pekalongan", "Promosi produk UMKM"),
    ("Nadia Putri", "Pembawa acara live shopping"),
]
# Started this long before the demo starts; ends this long after.
LIVE_ON_AIR_STARTED_MINUTES = 30
LIVE_ON_AIR_REMAINING_MINUTES = 180
LIVE_ON_AIR_PRODUCTS = 5
# The host's note for a product of each category, in the order the run sheet takes them.
LIVE_ON_AIR_NOTES = {
    BATIK: "Bentangkan kainnya ke kamera; sebut motif dan cara merawatnya.",
    FOOD: "Cicip di depan kamera; sebut tahan berapa lama dan bisa dikirim ke luar kota.",
    DRINKS: "Sajikan dingin; sebut bahan dari petani sekitar.",
    CRAFTS: "Tunjukkan detail buatan tangan; cocok untuk oleh-oleh.",
    FLAGSHIP: "Produk unggulan daerah; sebut asal bahan dan sertifikatnya.",
    BEAUTY: "Sebut izin edar dan bahan alaminya.",
}
LIVE_ON_AIR_ANNOUNCEMENT = (
    "Selamat datang di siaran langsung! Tekan Beli sekarang untuk membeli produk yang disematkan."
)
LIVE_ON_AIR_VIEWERS = ["Ayu Kedungwuni", "Pak Slamet", "Laras Batang"]
# (minutes after the session started, viewer index, text)
LIVE_ON_AIR_CHAT = [
    (3, 0, "Sudah mulai ya? Halo dari Kedungwuni!"),
    (6, 1, "Halo Pak Wali, ditunggu produk batiknya."),
    (12, 2, "Yang disematkan itu masih ada stoknya?"),
    (14, 0, "Masih, di kartunya tertulis sisa stoknya."),
]
LIVE_ON_AIR_PIN_MINUTES = 10

# --- The venue ---------------------------------------------------------------

# The 2021 hall was by invitation: (name, title, institution, email, whatsapp, answer)
# with answer "accepted", "declined" or "" (no answer yet). Names are invented.
GUESTS_2021 = [
    (
        "H. Achmad Afzan Arslan Djunaid",
        "Wali Kota Pekalongan",
        "Pemerintah Kota Pekalongan",
        "",
        "",
        "accepted",
    ),
    (
        "H. Salahudin",
        "Wakil Wali Kota Pekalongan",
        "Pemerintah Kota Pekalongan",
        "",
        "",
        "accepted",
    ),
    ("Hj. Inggit Soraya", "Ketua Dekranasda", "Dekranasda Kota Pekalongan", "", "", "accepted"),
    (
        "Drs. Sri Ruminingsih, M.Si",
        "Sekretaris Daerah",
        "Pemerintah Kota Pekalongan",
        "",
        "",
        "accepted",
    ),
    ("Moh. Hasan Ubaidi", "Ketua DPRD", "DPRD Kota Pekalongan", "", "", "accepted"),
    (
        "Dwi Heru Wismanto, S.E.",
        "Kepala Dinas",
        "Dinas Perdagangan, Koperasi dan UKM Kota Pekalongan",
        "dindakop@pekalongankota.example",
        "6281325001001",
        "accepted",
    ),
    (
        "Ir. Anita Heru Kusumorini",
        "Kepala Dinas",
        "Dinas Perindustrian dan Tenaga Kerja Kota Pekalongan",
        "dinperinaker@pekalongankota.example",
        "6281325001002",
        "accepted",
    ),
    (
        "Sabaryo Anom, S.Sos.",
        "Kepala Dinas",
        "Dinas Komunikasi dan Informatika Kota Pekalongan",
        "diskominfo@pekalongankota.example",
        "6281325001003",
        "accepted",
    ),
    (
        "Agus Jati Waluyo, S.H.",
        "Kepala Dinas",
        "Dinas Pariwisata, Kebudayaan, Kepemudaan dan Olahraga Kota Pekalongan",
        "disparbudpora@pekalongankota.example",
        "6281325001004",
        "accepted",
    ),
    (
        "Budi Santoso, S.T.",
        "Kepala Bidang UMKM",
        "Dinas Perdagangan, Koperasi dan UKM Kota Pekalongan",
        "umkm@pekalongankota.example",
        "6281325001005",
        "accepted",
    ),
    (
        "Dra. Retno Wulandari",
        "Camat Pekalongan Barat",
        "Kecamatan Pekalongan Barat",
        "",
        "6281325001006",
        "accepted",
    ),
    (
        "AKBP Wahyu Rohadi, S.I.K.",
        "Kepala Kepolisian Resor",
        "Polres Pekalongan Kota",
        "",
        "",
        "accepted",
    ),
    (
        "Letkol Inf. Hamonangan Sinaga",
        "Komandan Kodim 0710",
        "Kodim 0710/Pekalongan",
        "",
        "",
        "accepted",
    ),
    (
        "Dr. Ir. Rina Marlina, M.M.",
        "Asisten Deputi Pemasaran",
        "Kementerian Koperasi dan UKM",
        "pemasaran@kemenkopukm.example",
        "6281210002001",
        "accepted",
    ),
    (
        "Hendra Gunawan, S.E., M.Sc.",
        "Direktur Pengembangan Ekspor",
        "Kementerian Perdagangan",
        "ekspor@kemendag.example",
        "6281210002002",
        "accepted",
    ),
    (
        "Ir. Laksmi Prihatini",
        "Kepala Balai Besar Kerajinan dan Batik",
        "Kementerian Perindustrian",
        "bbkb@kemenperin.example",
        "6281210002003",
        "declined",
    ),
    (
        "Dra. Yuni Astuti, M.Si.",
        "Kepala Dinas",
        "Dinas Koperasi dan UKM Provinsi Jawa Tengah",
        "dinkopukm@jatengprov.example",
        "6281390003001",
        "accepted",
    ),
    (
        "H. Cecep Nurul Yakin",
        "Bupati Tasikmalaya",
        "Pemerintah Kabupaten Tasikmalaya",
        "",
        "6281320004001",
        "declined",
    ),
    (
        "Iwan Ridwan, S.Sos.",
        "Kepala Dinas Koperasi, UMKM, Perindustrian dan Perdagangan",
        "Pemerintah Kabupaten Tasikmalaya",
        "diskumindag@tasikmalayakab.example",
        "6281320004002",
        "accepted",
    ),
    (
        "H. Muhammad Aditya Mufti Ariffin",
        "Wali Kota Banjarbaru",
        "Pemerintah Kota Banjarbaru",
        "",
        "6281150005001",
        "accepted",
    ),
    (
        "Siti Norhayati, S.E.",
        "Kepala Dinas Koperasi dan UKM",
        "Pemerintah Provinsi Kalimantan Selatan",
        "diskopukm@kalselprov.example",
        "6281150005002",
        "accepted",
    ),
    (
        "Drs. Bambang Sutrisno",
        "Kepala Dinas Perindustrian dan Perdagangan",
        "Pemerintah Kabupaten Cilacap",
        "disperindag@cilacapkab.example",
        "6282130006001",
        "accepted",
    ),
    (
        "Dian Puspitasari, S.T., M.T.",
        "Kepala Bidang Usaha Mikro",
        "Dinas Koperasi dan UKM Kota Semarang",
        "usahamikro@semarangkota.example",
        "6282130006002",
        "",
    ),
    (
        "Rudi Hartono",
        "Pemimpin Cabang",
        "Bank Jateng Cabang Pekalongan",
        "pekalongan@bankjateng.example",
        "6281325007001",
        "accepted",
    ),
    (
        "Nur Aini Rahmawati",
        "Kepala Kantor Perwakilan",
        "Bank Indonesia Tegal",
        "kpw-tegal@bi.example",
        "6281325007002",
        "",
    ),
]

# The 2027 public slots, in the expo's zone: (day, start, end) on its first two days.
SLOTS_2027 = [
    ((2027, 5, 20), "09:00", "12:00"),
    ((2027, 5, 20), "13:00", "16:00"),
    ((2027, 5, 20), "18:00", "21:00"),
    ((2027, 5, 21), "09:00", "12:00"),
    ((2027, 5, 21), "13:00", "16:00"),
    ((2027, 5, 21), "18:00", "21:00"),
]
SLOT_2027_CAPACITY = 300
SLOT_2027_NAMES = ["Pagi", "Siang", "Malam"]
# Registrations per 2027 slot (index in SLOTS_2027).
REGISTRATIONS_2027 = [18, 12, 6, 9, 4, 3]
VISITOR_FIRST = [
    "Ayu",
    "Budi",
    "Citra",
    "Dewi",
    "Eko",
    "Fajar",
    "Gita",
    "Hadi",
    "Indah",
    "Joko",
    "Kartika",
    "Lukman",
    "Maya",
    "Nanda",
    "Putri",
    "Rizky",
    "Sinta",
    "Teguh",
    "Wulan",
    "Yusuf",
]
VISITOR_LAST = [
    "Prasetyo",
    "Lestari",
    "Hidayat",
    "Rahayu",
    "Saputra",
    "Wibowo",
    "Kurniawan",
    "Maharani",
    "Nugroho",
    "Susanti",
    "Setiawan",
    "Pratiwi",
    "Siregar",
    "Anggraini",
]

# Gate devices with known tokens (printed by demo_logins; demo only, never real).
GATES_2027 = [
    ("Gerbang A", "demo-gerbang-a-2027-d3m0t0k3nAAAAAAAAAAAAAAAAAAA"),
    ("Gerbang B", "demo-gerbang-b-2027-d3m0t0k3nBBBBBBBBBBBBBBBBBBB"),
]
GATES_2021 = ["Gerbang Utama", "Pintu VIP"]
# 2021 check-in of the accepted guests: (guest index, gate index, day, "HH:MM"),
# all synced from offline; the last repeats guest 9's ticket at the other gate.
SCANS_2021 = [
    (0, 1, 24, "08:41"),
    (1, 1, 24, "08:43"),
    (2, 1, 24, "08:45"),
    (3, 1, 24, "08:47"),
    (4, 1, 24, "08:52"),
    (5, 0, 24, "08:30"),
    (6, 0, 24, "08:33"),
    (7, 0, 24, "08:35"),
    (8, 0, 24, "08:38"),
    (9, 0, 24, "08:40"),
    (11, 1, 24, "08:55"),
    (12, 1, 24, "08:56"),
    (13, 0, 24, "09:12"),
    (14, 0, 24, "09:14"),
    (16, 0, 24, "09:20"),
    (18, 0, 24, "09:25"),
    (19, 1, 24, "09:02"),
    (20, 0, 24, "09:31"),
    (21, 0, 25, "09:05"),
    (23, 0, 25, "09:18"),
    (9, 1, 24, "10:16"),
]

# The note of the booth whose cash came up short when the 2021 day was closed.
DEMO_POS_SHORT_NOTE = "Kembalian Rp 5.000 terlewat saat ramai siang hari."
