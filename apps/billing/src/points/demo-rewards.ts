/** The demo points catalog: 话费 vouchers (100 points per yuan credited) and a few gifts, some only in one province. */
export interface DemoReward {
  code: string;
  nameZh: string;
  nameEn: string;
  kind: "BALANCE_CREDIT" | "MERCHANDISE";
  pointsCost: bigint;
  creditFen: bigint;
  stock: bigint | null;
  provinceCodes: string[];
  active: boolean;
}

const voucher = (yuan: number): DemoReward => ({
  code: `VOUCHER_${yuan}`,
  nameZh: `${yuan} 元话费券`,
  nameEn: `¥${yuan} balance voucher`,
  kind: "BALANCE_CREDIT",
  pointsCost: BigInt(yuan * 100),
  creditFen: BigInt(yuan * 100),
  stock: null,
  provinceCodes: [],
  active: true,
});

const gift = (
  code: string,
  nameZh: string,
  nameEn: string,
  pointsCost: number,
  stock: number,
  provinceCodes: string[] = [],
  active = true,
): DemoReward => ({
  code,
  nameZh,
  nameEn,
  kind: "MERCHANDISE",
  pointsCost: BigInt(pointsCost),
  creditFen: 0n,
  stock: BigInt(stock),
  provinceCodes,
  active,
});

export const DEMO_REWARDS: readonly DemoReward[] = [
  voucher(5),
  voucher(10),
  voucher(30),
  voucher(50),
  voucher(100),
  gift("GIFT_UMBRELLA", "定制晴雨伞", "Branded umbrella", 1_800, 500),
  gift("GIFT_POWER_BANK", "10000mAh 移动电源", "10,000 mAh power bank", 4_500, 200),
  gift("GIFT_EARBUDS", "无线蓝牙耳机", "Wireless earbuds", 12_000, 50),
  gift("GIFT_GD_MORNING_TEA", "广式早茶双人券", "Cantonese dim sum for two", 3_500, 100, ["GD"]),
  gift("GIFT_SC_PANDA_BASE", "成都大熊猫基地门票", "Chengdu Panda Base ticket", 6_000, 80, ["SC"]),
  gift("GIFT_YN_PUER_TEA", "普洱茶礼盒", "Pu'er tea gift box", 5_000, 60, ["YN"]),
  gift("GIFT_CALENDAR_2025", "2025 年台历", "2025 desk calendar", 300, 0, [], false),
];
