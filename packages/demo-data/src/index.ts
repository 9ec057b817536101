/**
 * The demo data set every service seeds from, so that ids agree across service databases without any service
 * reading another's tables: subscriber N has the same id in customer, billing, orders and usage. Deterministic
 * (a seeded generator), so every fresh machine gets the same demo.
 */

export interface DemoPlan {
  code: string;
  nameZh: string;
  nameEn: string;
  monthlyFeeFen: bigint;
  dataKb: bigint;
  voiceSeconds: bigint;
  smsCount: bigint;
}

const GB = 1024n * 1024n;

/** Tariff plans the demo subscribers are on; the catalog seeds them as plan offerings with these codes. */
export const DEMO_PLANS: readonly DemoPlan[] = [
  {
    code: "PLAN_4G_19",
    nameZh: "4G 畅享 19 元套餐",
    nameEn: "4G Easy 19",
    monthlyFeeFen: 1900n,
    dataKb: 5n * GB,
    voiceSeconds: 100n * 60n,
    smsCount: 50n,
  },
  {
    code: "PLAN_5G_59",
    nameZh: "5G 智享 59 元套餐",
    nameEn: "5G Smart 59",
    monthlyFeeFen: 5900n,
    dataKb: 30n * GB,
    voiceSeconds: 300n * 60n,
    smsCount: 100n,
  },
  {
    code: "PLAN_5G_129",
    nameZh: "5G 尊享 129 元套餐",
    nameEn: "5G Premium 129",
    monthlyFeeFen: 12900n,
    dataKb: 100n * GB,
    voiceSeconds: 1000n * 60n,
    smsCount: 300n,
  },
];

export interface DemoSubscriber {
  subscriberId: string;
  msisdn: string;
  displayName: string;
  provinceCode: string;
  city: string;
  planCode: string;
  languageCode: "zh-CN" | "en";
  timeZone: string;
  /** Opening balance in fen. */
  balanceFen: bigint;
  /** Months since the number was opened. */
  tenureMonths: number;
}

/** Provinces and cities the demo covers (province codes: GB/T 2260 abbreviations). */
export const DEMO_PROVINCES: Readonly<Record<string, readonly string[]>> = {
  BJ: ["北京"],
  SH: ["上海"],
  GD: ["广州", "深圳", "东莞", "佛山"],
  ZJ: ["杭州", "宁波", "温州"],
  SC: ["成都", "绵阳", "宜宾"],
  HB: ["武汉", "宜昌"],
  YN: ["昆明", "大理", "丽江"],
  XJ: ["乌鲁木齐", "喀什"],
};

const SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗";
const GIVEN = [
  "伟",
  "芳",
  "娜",
  "秀英",
  "敏",
  "静",
  "丽",
  "强",
  "磊",
  "军",
  "洋",
  "勇",
  "艳",
  "杰",
  "娟",
  "涛",
  "明",
  "超",
  "秀兰",
  "霞",
];
const ENGLISH_NAMES = ["Alice Wong", "David Chen", "Maria Garcia", "Tom Baker", "Priya Nair"];
const PREFIXES = ["138", "139", "150", "151", "157", "182", "187", "188", "198"];

/** A small deterministic PRNG (mulberry32): demo data must be the same on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The first demo subscriber, whose number the README uses for the login walk-through. */
export const DEMO_MSISDN = "13800138000";

/** The demo subscribers, deterministic for a given count. */
export function demoSubscribers(count = 3000): DemoSubscriber[] {
  const random = seededRandom(20261122);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const provinces = Object.keys(DEMO_PROVINCES);
  const taken = new Set<string>();
  const result: DemoSubscriber[] = [];
  for (let i = 0; i < count; i++) {
    let msisdn = i === 0 ? DEMO_MSISDN : "";
    while (!msisdn || taken.has(msisdn)) {
      msisdn = pick(PREFIXES) + String(Math.floor(random() * 1e8)).padStart(8, "0");
    }
    taken.add(msisdn);
    const english = i % 50 === 7;
    const provinceCode = i === 0 ? "GD" : pick(provinces);
    result.push({
      subscriberId: `sub_demo${String(i + 1).padStart(6, "0")}`,
      msisdn,
      displayName: english ? pick(ENGLISH_NAMES) : pick([...SURNAMES]) + pick(GIVEN),
      provinceCode,
      city: i === 0 ? "深圳" : pick(DEMO_PROVINCES[provinceCode]!),
      planCode: i === 0 ? "PLAN_5G_59" : pick(DEMO_PLANS).code,
      languageCode: english ? "en" : "zh-CN",
      timeZone: provinceCode === "XJ" ? "Asia/Urumqi" : "Asia/Shanghai",
      balanceFen: BigInt(Math.floor(random() * 20_000)) + 500n,
      tenureMonths: 7 + Math.floor(random() * 60),
    });
  }
  return result;
}
