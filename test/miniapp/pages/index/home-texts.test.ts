import { HOME_TEXTS } from '../../../../miniapp/src/pages/index/home-texts';
import { TEXTS } from '../../../../miniapp/src/scan-login/lib/texts';

describe('HOME_TEXTS', () => {
  it("names the confirm page's button as that page does, in each language's quotes", () => {
    expect(HOME_TEXTS.zh.steps.join('')).toContain(`“${TEXTS.zh.confirm}”`);
    expect(HOME_TEXTS.en.steps.join('')).toContain(`"${TEXTS.en.confirm}"`);
  });

  it('has the same words in both languages', () => {
    expect(Object.keys(HOME_TEXTS.zh).sort()).toEqual(Object.keys(HOME_TEXTS.en).sort());
    expect(HOME_TEXTS.zh.steps).toHaveLength(HOME_TEXTS.en.steps.length);
  });
});
